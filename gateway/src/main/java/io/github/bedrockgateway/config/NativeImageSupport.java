package io.github.bedrockgateway.config;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Reflection the AWS SDK needs in a native executable that its own native-image metadata does not
 * declare. No effect on the JVM. The SDK builds these by name at run time:
 *
 * <ul>
 *   <li>the STS factories behind web-identity and role-chaining profiles, when the {@code default}
 *       or {@code profile} credentials come that way ({@code WebIdentityCredentialsUtils}, {@code
 *       ProfileCredentialsUtils});
 *   <li>the JDK's StAX factories, which parse STS's XML answers ({@code
 *       XMLInputFactory.newInstance()}).
 * </ul>
 *
 * The other native settings (TLS, service loaders, resources, run-time initialization) are in
 * {@code application.properties} under "native image".
 */
@RegisterForReflection(
    classNames = {
      "software.amazon.awssdk.services.sts.internal.StsWebIdentityCredentialsProviderFactory",
      "software.amazon.awssdk.services.sts.internal.StsProfileCredentialsProviderFactory",
      "com.sun.xml.internal.stream.XMLInputFactoryImpl",
      "com.sun.xml.internal.stream.XMLOutputFactoryImpl",
    },
    methods = true)
final class NativeImageSupport {

  private NativeImageSupport() {}
}
