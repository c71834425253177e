package io.github.bedrockgateway.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The SSRF address policy as a table: address in, refusal reason (or none) out. */
class AddressPolicyTest {

  static Stream<Arguments> publicOnly() {
    return Stream.of(
        // public: allowed
        Arguments.of("93.184.215.14", null),
        Arguments.of("8.8.8.8", null),
        Arguments.of("172.15.255.255", null),
        Arguments.of("172.32.0.1", null),
        Arguments.of("100.63.255.255", null),
        Arguments.of("100.128.0.1", null),
        Arguments.of("169.253.255.255", null),
        Arguments.of("2606:4700:4700::1111", null),
        Arguments.of("2a00:1450:4001:80b::200e", null),
        // private
        Arguments.of("10.0.0.1", "a private address"),
        Arguments.of("10.255.255.255", "a private address"),
        Arguments.of("172.16.0.1", "a private address"),
        Arguments.of("172.31.255.254", "a private address"),
        Arguments.of("192.168.1.10", "a private address"),
        Arguments.of("fc00::1", "a private (unique local) address"),
        Arguments.of("fd12:3456:789a::1", "a private (unique local) address"),
        Arguments.of("fd00:ec2::254", "a private (unique local) address"), // EC2 IMDS over IPv6
        // loopback
        Arguments.of("127.0.0.1", "a loopback address"),
        Arguments.of("127.255.0.9", "a loopback address"),
        Arguments.of("::1", "a loopback address"),
        // link-local, metadata services
        Arguments.of(
            "169.254.169.254", "a link-local address (cloud metadata services live there)"),
        Arguments.of("169.254.170.2", "a link-local address (cloud metadata services live there)"),
        Arguments.of("fe80::1", "a link-local address"),
        Arguments.of("febf::1", "a link-local address"),
        // unspecified
        Arguments.of("0.0.0.0", "an unspecified ('this network') address"),
        Arguments.of("0.1.2.3", "an unspecified ('this network') address"),
        Arguments.of("::", "an unspecified address"),
        // multicast, broadcast, reserved
        Arguments.of("224.0.0.1", "a multicast address"),
        Arguments.of("239.255.255.250", "a multicast address"),
        Arguments.of("ff02::1", "a multicast address"),
        Arguments.of("255.255.255.255", "a reserved or broadcast address"),
        Arguments.of("240.0.0.1", "a reserved or broadcast address"),
        // CGNAT
        Arguments.of("100.64.0.1", "a shared (carrier-grade NAT) address"),
        Arguments.of("100.127.255.255", "a shared (carrier-grade NAT) address"),
        // documentation and benchmarking
        Arguments.of("192.0.2.5", "a documentation address"),
        Arguments.of("198.18.0.1", "a reserved (benchmarking) address"),
        Arguments.of("2001:db8::1", "a documentation address"),
        // IPv4 embedded in IPv6
        Arguments.of(
            "64:ff9b::a9fe:a9fe",
            "a link-local address (cloud metadata services live there) embedded in an IPv6 address"),
        Arguments.of("2002:0a00:0001::1", "a private address embedded in an IPv6 address"),
        Arguments.of("::7f00:1", "a loopback address embedded in an IPv6 address"),
        Arguments.of("64:ff9b::808:808", null));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("publicOnly")
  void refuses_internal_addresses_and_allows_public_ones(String address, String reason)
      throws Exception {
    assertThat(AddressPolicy.publicOnly().refusal(InetAddress.getByName(address)).orElse(null))
        .isEqualTo(reason);
  }

  @Test
  void an_ipv4_mapped_ipv6_address_is_judged_by_its_ipv4_address() throws Exception {
    byte[] mapped = new byte[16];
    mapped[10] = (byte) 0xff;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 169;
    mapped[13] = (byte) 254;
    mapped[14] = (byte) 169;
    mapped[15] = (byte) 254;
    // Inet6Address.getByAddress keeps the IPv6 form that getByName would fold into IPv4.
    InetAddress address = java.net.Inet6Address.getByAddress(null, mapped, -1);
    assertThat(AddressPolicy.publicOnly().refusal(address))
        .hasValueSatisfying(r -> assertThat(r).contains("link-local"));
  }

  static Stream<Arguments> allowList() {
    return Stream.of(
        Arguments.of("127.0.0.1", List.of("127.0.0.1/32"), true),
        Arguments.of("127.0.0.2", List.of("127.0.0.1/32"), false),
        Arguments.of("127.0.0.2", List.of("127.0.0.1"), false),
        Arguments.of("127.0.0.1", List.of("127.0.0.1"), true),
        Arguments.of("10.1.200.3", List.of("10.1.0.0/16"), true),
        Arguments.of("10.2.0.3", List.of("10.1.0.0/16"), false),
        Arguments.of("fd00:1::5", List.of("fd00:1::/64"), true),
        Arguments.of("fd00:2::5", List.of("fd00:1::/64"), false),
        Arguments.of("169.254.169.254", List.of("10.0.0.0/8", "images.internal"), false),
        Arguments.of("169.254.169.254", List.of("169.254.169.254/32"), true));
  }

  @ParameterizedTest(name = "{0} with {1} -> allowed {2}")
  @MethodSource("allowList")
  void allow_listed_ranges_open_exceptions(String address, List<String> allow, boolean allowed)
      throws Exception {
    assertThat(AddressPolicy.of(allow).refusal(InetAddress.getByName(address)).isEmpty())
        .isEqualTo(allowed);
  }

  @Test
  void host_names_are_allowed_exactly_or_by_wildcard_suffix() {
    AddressPolicy policy =
        AddressPolicy.of(List.of("images.internal", "*.corp.example", " Localhost "));
    assertThat(policy.hostAllowed("images.internal")).isTrue();
    assertThat(policy.hostAllowed("IMAGES.internal.")).isTrue();
    assertThat(policy.hostAllowed("evil-images.internal")).isFalse();
    assertThat(policy.hostAllowed("images.internal.evil.com")).isFalse();
    assertThat(policy.hostAllowed("cdn.corp.example")).isTrue();
    assertThat(policy.hostAllowed("a.b.corp.example")).isTrue();
    assertThat(policy.hostAllowed("corp.example")).isFalse();
    assertThat(policy.hostAllowed("evilcorp.example")).isFalse();
    assertThat(policy.hostAllowed("localhost")).isTrue();
    assertThat(AddressPolicy.publicOnly().hostAllowed("localhost")).isFalse();
  }

  @Test
  void a_malformed_allow_list_entry_fails_naming_it() {
    assertThatThrownBy(() -> AddressPolicy.of(List.of("10.0.0.0/33")))
        .hasMessageContaining("10.0.0.0/33");
    assertThatThrownBy(() -> AddressPolicy.of(List.of("not a host")))
        .hasMessageContaining("not a host");
    assertThatThrownBy(() -> AddressPolicy.of(List.of("10.0.0/8")))
        .hasMessageContaining("10.0.0/8");
  }

  @Test
  void allow_list_parsing_never_resolves_names() throws UnknownHostException {
    // A name that does not resolve is still a valid entry: it is matched as text, not looked up.
    assertThat(
            AddressPolicy.of(List.of("does-not-exist.invalid"))
                .hostAllowed("does-not-exist.invalid"))
        .isTrue();
  }
}
