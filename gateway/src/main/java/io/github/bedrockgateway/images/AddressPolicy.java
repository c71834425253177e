package io.github.bedrockgateway.images;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which addresses the gateway may download images from (server-side request forgery protection).
 * Internal addresses are refused: private, loopback, link-local (the EC2/ECS metadata services),
 * unspecified, multicast, shared CGNAT space, and the reserved and documentation ranges, in IPv4
 * and IPv6, including IPv4 addresses embedded in IPv6 (mapped, compatible, NAT64, 6to4). An
 * allow-list of host names and CIDRs opens exceptions.
 *
 * <p>Pure and immutable; the caller resolves names and then connects to the very address it
 * checked.
 */
public final class AddressPolicy {

  /** A refused range and the reason shown to the client. */
  private record Blocked(Cidr range, String reason) {}

  private static final List<Blocked> BLOCKED =
      List.of(
          blocked("0.0.0.0/8", "an unspecified ('this network') address"),
          blocked("10.0.0.0/8", "a private address"),
          blocked("100.64.0.0/10", "a shared (carrier-grade NAT) address"),
          blocked("127.0.0.0/8", "a loopback address"),
          blocked("169.254.0.0/16", "a link-local address (cloud metadata services live there)"),
          blocked("172.16.0.0/12", "a private address"),
          blocked("192.0.0.0/24", "a reserved (IETF protocol assignment) address"),
          blocked("192.0.2.0/24", "a documentation address"),
          blocked("192.88.99.0/24", "a reserved (6to4 relay) address"),
          blocked("192.168.0.0/16", "a private address"),
          blocked("198.18.0.0/15", "a reserved (benchmarking) address"),
          blocked("198.51.100.0/24", "a documentation address"),
          blocked("203.0.113.0/24", "a documentation address"),
          blocked("224.0.0.0/4", "a multicast address"),
          blocked("240.0.0.0/4", "a reserved or broadcast address"),
          blocked("::/128", "an unspecified address"),
          blocked("::1/128", "a loopback address"),
          blocked("100::/64", "a reserved (discard) address"),
          blocked("2001::/32", "a Teredo tunnel address"),
          blocked("2001:db8::/32", "a documentation address"),
          blocked("fc00::/7", "a private (unique local) address"),
          blocked("fe80::/10", "a link-local address"),
          blocked("fec0::/10", "a site-local address"),
          blocked("ff00::/8", "a multicast address"));

  private static final Cidr MAPPED_V4 = Cidr.parse("::ffff:0:0/96");
  private static final Cidr COMPATIBLE_V4 = Cidr.parse("::/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private final List<String> allowedNames;
  private final List<String> allowedSuffixes;
  private final List<Cidr> allowedRanges;

  private AddressPolicy(
      List<String> allowedNames, List<String> allowedSuffixes, List<Cidr> allowedRanges) {
    this.allowedNames = List.copyOf(allowedNames);
    this.allowedSuffixes = List.copyOf(allowedSuffixes);
    this.allowedRanges = List.copyOf(allowedRanges);
  }

  /** Only public addresses. */
  public static AddressPolicy publicOnly() {
    return of(List.of());
  }

  /**
   * A policy with an allow-list ({@code gateway.images.allowed-hosts}): host names, {@code
   * *.suffix} wildcards, CIDRs and single addresses.
   *
   * @throws IllegalArgumentException naming the entry that is none of these
   */
  public static AddressPolicy of(List<String> allowList) {
    List<String> names = new ArrayList<>();
    List<String> suffixes = new ArrayList<>();
    List<Cidr> ranges = new ArrayList<>();
    for (String raw : allowList) {
      String entry = raw.trim().toLowerCase(Locale.ROOT);
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.contains("/") || Cidr.isLiteral(entry)) {
        ranges.add(Cidr.parse(entry));
      } else if (entry.startsWith("*.") && entry.length() > 2) {
        suffixes.add(entry.substring(1));
      } else if (entry.matches("[a-z0-9_.-]+")) {
        names.add(entry.endsWith(".") ? entry.substring(0, entry.length() - 1) : entry);
      } else {
        throw new IllegalArgumentException(
            "gateway.images.allowed-hosts entry '"
                + raw
                + "' is neither a host name, a *.domain wildcard, an address nor a CIDR");
      }
    }
    return new AddressPolicy(names, suffixes, ranges);
  }

  /**
   * Whether the URL's host name is allow-listed by name, so any address it resolves to may be used.
   */
  public boolean hostAllowed(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (allowedNames.contains(h)) {
      return true;
    }
    for (String suffix : allowedSuffixes) {
      if (h.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Why this address may not be fetched from, e.g. {@code "a private address"}; empty when it may
   * (a public address, or one inside an allow-listed range).
   */
  public Optional<String> refusal(InetAddress address) {
    for (Cidr allowed : allowedRanges) {
      if (allowed.contains(address)) {
        return Optional.empty();
      }
    }
    if (address instanceof Inet6Address) {
      byte[] b = address.getAddress();
      InetAddress embedded = null;
      if (MAPPED_V4.contains(address)
          || NAT64.contains(address)
          || (COMPATIBLE_V4.contains(address) && !isZeroOrOne(b))) {
        embedded = v4(b, 12);
      } else if (SIX_TO_FOUR.contains(address)) {
        embedded = v4(b, 2);
      }
      if (embedded != null) {
        Optional<String> inner = refusal(embedded);
        if (inner.isPresent()) {
          return Optional.of(inner.get() + " embedded in an IPv6 address");
        }
      }
    }
    for (Blocked b : BLOCKED) {
      if (b.range().contains(address)) {
        return Optional.of(b.reason());
      }
    }
    return Optional.empty();
  }

  private static boolean isZeroOrOne(byte[] b) {
    for (int i = 0; i < 15; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[15] == 0 || b[15] == 1;
  }

  private static InetAddress v4(byte[] b, int offset) {
    try {
      return InetAddress.getByAddress(
          new byte[] {b[offset], b[offset + 1], b[offset + 2], b[offset + 3]});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Blocked blocked(String cidr, String reason) {
    return new Blocked(Cidr.parse(cidr), reason);
  }

  /** An address range; a bare address is a range of one. */
  record Cidr(byte[] network, int prefix) {

    static boolean isLiteral(String s) {
      return s.matches("[0-9.]+") && s.chars().filter(c -> c == '.').count() == 3
          || s.contains(":");
    }

    static Cidr parse(String text) {
      String s = text.trim();
      int slash = s.indexOf('/');
      String addr = slash < 0 ? s : s.substring(0, slash);
      if (addr.startsWith("[") && addr.endsWith("]")) {
        addr = addr.substring(1, addr.length() - 1);
      }
      byte[] bytes = literal(addr, text);
      int prefix = bytes.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + text + "' has an invalid prefix length");
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
          throw new IllegalArgumentException("'" + text + "' has a prefix length out of range");
        }
      }
      return new Cidr(mask(bytes, prefix), prefix);
    }

    boolean contains(InetAddress address) {
      byte[] a = address.getAddress();
      return a.length == network.length && java.util.Arrays.equals(mask(a, prefix), network);
    }

    private static byte[] mask(byte[] bytes, int prefix) {
      byte[] out = bytes.clone();
      for (int i = 0; i < out.length; i++) {
        int bits = Math.max(0, Math.min(8, prefix - i * 8));
        out[i] = (byte) (out[i] & (0xff << (8 - bits)));
      }
      return out;
    }

    /** Parses an IP literal without any name lookup. */
    private static byte[] literal(String addr, String original) {
      boolean v4 = addr.matches("\\d{1,3}(\\.\\d{1,3}){3}");
      boolean v6 = addr.contains(":") && addr.matches("[0-9a-fA-F:.]+");
      if (!v4 && !v6) {
        throw new IllegalArgumentException("'" + original + "' is not an IP address or CIDR");
      }
      try {
        // A literal never triggers a DNS lookup in getByName.
        InetAddress parsed = InetAddress.getByName(addr);
        byte[] bytes = parsed.getAddress();
        if (v6 && parsed instanceof Inet4Address) {
          // getByName folds ::ffff:a.b.c.d into IPv4; keep the IPv6 form the entry was written in.
          byte[] mapped = new byte[16];
          mapped[10] = (byte) 0xff;
          mapped[11] = (byte) 0xff;
          System.arraycopy(bytes, 0, mapped, 12, 4);
          return mapped;
        }
        return bytes;
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + original + "' is not an IP address or CIDR");
      }
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Cidr c
          && c.prefix == prefix
          && java.util.Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
      return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
      try {
        return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
      } catch (UnknownHostException e) {
        return "?/" + prefix;
      }
    }
  }
}
