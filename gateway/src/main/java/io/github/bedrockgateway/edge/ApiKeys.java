package io.github.bedrockgateway.edge;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The client API keys the gateway accepts. Only SHA-256 digests are kept in memory, and a presented
 * key is checked against every configured digest with {@link MessageDigest#isEqual} and no early exit,
 * so the time taken tells nothing about which key, or how much of one, matched.
 */
public final class ApiKeys {

    /** A configured key: its name (for logs and metrics, never the key) and its SHA-256 digest. */
    public record Key(String name, byte[] sha256) {
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    private final List<Key> keys;

    private ApiKeys(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * Parses {@code gateway.api-keys} entries: {@code KEY}, {@code sha256:<hex>}, {@code name=KEY} or
     * {@code name=sha256:<hex>}. Unnamed keys are called {@code key-1}, {@code key-2}... in order.
     * Messages never quote a key.
     */
    public static ApiKeys parse(List<String> entries) {
        List<Key> keys = new ArrayList<>();
        int i = 0;
        for (String raw : entries) {
            i++;
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            String name = "key-" + i;
            int eq = entry.indexOf('=');
            if (eq > 0 && eq < entry.length() - 1 && NAME.matcher(entry.substring(0, eq)).matches()
                    && entry.charAt(eq + 1) != '=') {
                name = entry.substring(0, eq);
                entry = entry.substring(eq + 1);
            }
            byte[] digest;
            if (entry.regionMatches(true, 0, "sha256:", 0, 7)) {
                String hex = entry.substring(7);
                if (!HEX64.matcher(hex).matches()) {
                    throw new IllegalArgumentException("gateway.api-keys entry " + i + " ('" + name
                            + "') starts with sha256: but is not followed by 64 hexadecimal digits");
                }
                digest = HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
            } else {
                digest = sha256(entry);
            }
            keys.add(new Key(name, digest));
        }
        return new ApiKeys(keys);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    public int size() {
        return keys.size();
    }

    /** The key matching a presented secret, checked in constant time against every configured key. */
    public Optional<Key> match(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        Key found = null;
        for (Key k : keys) {
            if (MessageDigest.isEqual(digest, k.sha256()) && found == null) {
                found = k;
            }
        }
        return Optional.ofNullable(found);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
