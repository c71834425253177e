package io.github.bedrockgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.github.bedrockgateway.error.GatewayException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;

class BedrockErrorMapperTest {

    /** In a stream, Bedrock names its exceptions by their event type, with a small first letter. */
    @Test
    void an_exception_inside_a_stream_maps_like_the_same_http_error() {
        GatewayException modelError = BedrockErrorMapper.map(ModelStreamErrorException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("modelStreamErrorException")
                        .errorMessage("The model's stream encountered an error.").build())
                .statusCode(400).build());
        assertThat(modelError.status()).isEqualTo(502);
        assertThat(modelError.code()).isEqualTo("model_error");
        GatewayException throttled = BedrockErrorMapper.map(ThrottlingException.builder()
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("throttlingException").errorMessage("Slow down.").build())
                .statusCode(400).build());
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.code()).isEqualTo("rate_limit_exceeded");
    }
}
