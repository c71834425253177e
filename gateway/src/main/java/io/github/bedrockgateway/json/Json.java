package io.github.bedrockgateway.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The one Jackson setup the translation uses (thread-safe, shared). */
public final class Json {

    /** Nesting is bounded so a hostile body cannot exhaust the stack while it is parsed. */
    public static final int MAX_NESTING_DEPTH = 64;

    public static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
            .build();

    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private Json() {
    }
}
