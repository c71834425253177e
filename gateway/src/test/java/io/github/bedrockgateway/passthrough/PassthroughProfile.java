package io.github.bedrockgateway.passthrough;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/**
 * The pass-through's end-to-end tests: Bedrock calls go through {@link RecordingUpstream} (so
 * streams can be compared to the byte), and a short stream idle timeout lets a test see the gateway
 * end a silent stream.
 */
public class PassthroughProfile implements QuarkusTestProfile {

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("gateway.bedrock.stream-idle-timeout", "3s");
  }

  @Override
  public List<TestResourceEntry> testResources() {
    return List.of(new TestResourceEntry(RecordingUpstream.class));
  }
}
