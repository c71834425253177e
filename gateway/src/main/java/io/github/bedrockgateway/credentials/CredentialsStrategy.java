package io.github.bedrockgateway.credentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.bedrockgateway.credentials.Env.AwsSetting;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleWithWebIdentityCredentialsProvider;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityRequest;

/**
 * How the gateway gets AWS credentials ({@code gateway.credentials.strategy}). Each constant names the
 * settings it reads, checks them before anything is built (failing with a message that names the
 * setting and the fix), and builds the AWS SDK provider that does the real work, with the SDK's
 * asynchronous refresh switched on. Caching for the request path is {@link RefreshingCredentialsProvider}'s job.
 */
public enum CredentialsStrategy {

    /** The AWS SDK default chain: system properties, environment, web identity, profile, container, IMDS. */
    DEFAULT("default", "default", "gateway.credentials.profile") {
        @Override
        void validate(CredentialsSettings s) {
            // Whatever the chain finds is fine; what it fails to find is told by explain().
        }

        @Override
        ProviderHandle build(CredentialsSettings s, StsCallListener listener) {
            return ProviderHandle.of(DefaultCredentialsProvider.builder()
                    .profileFile(ProfileFiles.supplier(s.env()))
                    .profileName(s.profileName())
                    .asyncCredentialUpdateEnabled(true)
                    .build());
        }

        @Override
        CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
            return CredentialsSetupException.of(configName,
                    "the AWS SDK default chain found no usable credentials (" + Redact.cause(error) + ")",
                    "Provide credentials the chain knows (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance "
                            + "profile, an ECS task role, EKS IRSA or Pod Identity), or set gateway.credentials.strategy to the "
                            + "one you mean to get a precise error.",
                    docAnchor, "gateway.credentials.strategy");
        }
    },

    /** Long-term (or externally refreshed) keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
    STATIC("static", "static", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN") {
        @Override
        void validate(CredentialsSettings s) {
            Optional<String> keyId = s.env().setting(AwsSetting.ACCESS_KEY_ID);
            Optional<String> secret = s.env().setting(AwsSetting.SECRET_ACCESS_KEY);
            String fix = "Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (plus AWS_SESSION_TOKEN for temporary ASIA… keys), "
                    + "or the aws.accessKeyId/aws.secretAccessKey system properties; on AWS prefer a role strategy.";
            if (keyId.isEmpty() && secret.isEmpty()) {
                throw CredentialsSetupException.of(configName,
                        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or the aws.accessKeyId and aws.secretAccessKey system properties) are not set",
                        fix, docAnchor, "gateway.credentials.strategy");
            }
            if (secret.isEmpty()) {
                throw CredentialsSetupException.of(configName,
                        "AWS_ACCESS_KEY_ID is set (" + Redact.accessKeyId(keyId.get()) + ") but AWS_SECRET_ACCESS_KEY (aws.secretAccessKey) is not",
                        fix, docAnchor, "gateway.credentials.strategy");
            }
            if (keyId.isEmpty()) {
                throw CredentialsSetupException.of(configName,
                        "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID (aws.accessKeyId) is not", fix, docAnchor,
                        "gateway.credentials.strategy");
            }
            if (keyId.get().startsWith("ASIA") && s.env().setting(AwsSetting.SESSION_TOKEN).isEmpty()) {
                throw CredentialsSetupException.of(configName,
                        "AWS_ACCESS_KEY_ID " + Redact.accessKeyId(keyId.get())
                                + " is a temporary key (ASIA…) but AWS_SESSION_TOKEN (aws.sessionToken) is not set",
                        "Set AWS_SESSION_TOKEN from the same credentials, or use long-term AKIA… keys.", docAnchor,
                        "gateway.credentials.strategy");
            }
        }

        @Override
        ProviderHandle build(CredentialsSettings s, StsCallListener listener) {
            Env env = s.env();
            String keyId = env.setting(AwsSetting.ACCESS_KEY_ID).orElseThrow();
            String secret = env.setting(AwsSetting.SECRET_ACCESS_KEY).orElseThrow();
            Optional<String> token = env.setting(AwsSetting.SESSION_TOKEN);
            AwsCredentials credentials = token.isPresent()
                    ? AwsSessionCredentials.builder().accessKeyId(keyId).secretAccessKey(secret).sessionToken(token.get())
                            .providerName("StaticCredentialsProvider").build()
                    : AwsBasicCredentials.builder().accessKeyId(keyId).secretAccessKey(secret)
                            .providerName("StaticCredentialsProvider").build();
            return ProviderHandle.of(StaticCredentialsProvider.create(credentials));
        }
    },

    /** A named profile of ~/.aws/config and ~/.aws/credentials: keys, role_arn + source_profile, credential_process. */
    PROFILE("profile", "profile", "gateway.credentials.profile", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE") {
        @Override
        void validate(CredentialsSettings s) {
            String name = s.profileName();
            ProfileFile file;
            try {
                file = ProfileFiles.load(s.env());
            } catch (RuntimeException e) {
                throw CredentialsSetupException.of(configName,
                        "the profile files " + ProfileFiles.describe(s.env()) + " cannot be parsed (" + Redact.cause(e) + ")",
                        "Fix the file syntax ([profile NAME] sections in config, [NAME] in credentials).", docAnchor,
                        "gateway.credentials.profile");
            }
            Optional<Profile> profile = file.profile(name);
            if (profile.isEmpty()) {
                String known = file.profiles().keySet().stream().sorted().collect(Collectors.joining(", "));
                throw CredentialsSetupException.of(configName,
                        "gateway.credentials.profile (or AWS_PROFILE) names profile '" + name + "', which is not in "
                                + ProfileFiles.describe(s.env()) + " (profiles there: " + (known.isEmpty() ? "none" : known) + ")",
                        "Create the profile (aws configure --profile " + name + "), fix the name, or mount the files and point "
                                + "AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE at them.",
                        docAnchor, "gateway.credentials.profile");
            }
            Profile p = profile.get();
            if (p.property(ProfileProperty.SSO_START_URL).isPresent() || p.property("sso_session").isPresent()) {
                throw CredentialsSetupException.of(configName,
                        "profile '" + name + "' uses IAM Identity Center (sso_session / sso_start_url), which this build of the gateway does not include",
                        "Use a profile with role_arn + source_profile, credential_process or keys, or the assume-role / web-identity strategies.",
                        docAnchor, "gateway.credentials.profile");
            }
            boolean hasSource = p.property(ProfileProperty.AWS_ACCESS_KEY_ID).isPresent()
                    || p.property(ProfileProperty.ROLE_ARN).isPresent()
                    || p.property(ProfileProperty.CREDENTIAL_PROCESS).isPresent()
                    || p.property(ProfileProperty.WEB_IDENTITY_TOKEN_FILE).isPresent();
            if (!hasSource) {
                throw CredentialsSetupException.of(configName,
                        "profile '" + name + "' in " + ProfileFiles.describe(s.env())
                                + " has no credentials (no aws_access_key_id, role_arn, credential_process or web_identity_token_file)",
                        "Add keys to the credentials file, or role_arn + source_profile / credential_process to the profile.",
                        docAnchor, "gateway.credentials.profile");
            }
            if (p.property(ProfileProperty.AWS_ACCESS_KEY_ID).isPresent() && p.property(ProfileProperty.AWS_SECRET_ACCESS_KEY).isEmpty()
                    && p.property(ProfileProperty.ROLE_ARN).isEmpty()) {
                throw CredentialsSetupException.of(configName,
                        "profile '" + name + "' has aws_access_key_id but no aws_secret_access_key",
                        "Add aws_secret_access_key to the profile in the credentials file.", docAnchor, "gateway.credentials.profile");
            }
        }

        @Override
        ProviderHandle build(CredentialsSettings s, StsCallListener listener) {
            return ProviderHandle.of(ProfileCredentialsProvider.builder()
                    .profileFile(ProfileFiles.supplier(s.env()))
                    .profileName(s.profileName())
                    .build());
        }

        @Override
        CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
            return CredentialsSetupException.of(configName,
                    "profile '" + s.profileName() + "' from " + ProfileFiles.describe(s.env()) + " gave no usable credentials ("
                            + Redact.cause(error) + ")",
                    "Check the profile's keys, its role_arn + source_profile chain or its credential_process "
                            + "(aws sts get-caller-identity --profile " + s.profileName() + " tests the same profile).",
                    docAnchor, "gateway.credentials.profile");
        }

        @Override
        Optional<String> role(CredentialsSettings s) {
            return ProfileFiles.profile(s.env(), s.profileName()).flatMap(p -> p.property(ProfileProperty.ROLE_ARN));
        }
    },

    /** sts:AssumeRole with base credentials from {@code gateway.credentials.source}. */
    ASSUME_ROLE("assume-role", "assume-role", "gateway.credentials.role-arn", "gateway.credentials.source",
            "gateway.credentials.external-id", "gateway.credentials.role-session-name", "gateway.credentials.session-duration",
            "AWS_ENDPOINT_URL_STS") {
        @Override
        void validate(CredentialsSettings s) {
            String arn = s.roleArn().orElseThrow(() -> CredentialsSetupException.of(configName,
                    "gateway.credentials.role-arn (GATEWAY_CREDENTIALS_ROLE_ARN) is not set",
                    "Set it to the ARN of the role allowed to call Bedrock, e.g. arn:aws:iam::123456789012:role/bedrock-gateway.",
                    docAnchor, "gateway.credentials.role-arn"));
            Validation.roleArn(this, "gateway.credentials.role-arn", arn);
            Validation.sessionName(this, s.roleSessionName(), "gateway.credentials.role-session-name");
            Validation.sessionDuration(this, s);
            s.externalId().ifPresent(id -> Validation.externalId(this, id));
            Validation.stsEndpoint(this, s);
            CredentialsStrategy source = source(s);
            try {
                source.validate(sourceSettings(s, source));
            } catch (CredentialsSetupException e) {
                throw e.within(configName, "its base credentials (gateway.credentials.source=" + source.configName + ")");
            }
        }

        @Override
        ProviderHandle build(CredentialsSettings s, StsCallListener listener) {
            CredentialsStrategy source = source(s);
            CredentialsSettings baseSettings = sourceSettings(s, source);
            ProviderHandle base = source.build(baseSettings, listener);
            StsClient sts = null;
            try {
                sts = StsClients.create(s, base.provider(), listener);
                AssumeRoleRequest.Builder request = AssumeRoleRequest.builder()
                        .roleArn(s.roleArn().orElseThrow())
                        .roleSessionName(Validation.sessionName(s.roleSessionName(), s.env()));
                s.externalId().ifPresent(request::externalId);
                s.sessionDuration().ifPresent(d -> request.durationSeconds((int) d.toSeconds()));
                StsAssumeRoleCredentialsProvider provider = StsAssumeRoleCredentialsProvider.builder()
                        .stsClient(sts)
                        .refreshRequest(request.build())
                        .asyncCredentialUpdateEnabled(true)
                        .prefetchTime(s.prefetchTime())
                        .staleTime(s.staleTime())
                        .build();
                return ProviderHandle.of(provider, sts)
                        .withBase(new ProviderHandle.Base(source, baseSettings, base));
            } catch (RuntimeException e) {
                if (sts != null) {
                    sts.close();
                }
                base.close();
                throw e;
            }
        }

        @Override
        CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
            String arn = s.roleArn().orElse("?");
            Optional<StsFailure> sts = StsFailure.in(error);
            if (sts.isPresent()) {
                StsFailure f = sts.get();
                switch (f.code()) {
                    case "AccessDenied":
                        return CredentialsSetupException.of(configName,
                                "STS refused AssumeRole on gateway.credentials.role-arn " + arn + " (" + f + ")",
                                "Let the base identity assume the role: the role's trust policy must name that principal"
                                        + (s.externalId().isPresent() ? " and require the same sts:ExternalId as gateway.credentials.external-id" : "")
                                        + ", and the base identity needs sts:AssumeRole on the role.",
                                "not-authorized-to-perform-stsassumerole", "gateway.credentials.role-arn", "gateway.credentials.external-id");
                    case "InvalidClientTokenId", "SignatureDoesNotMatch", "UnrecognizedClientException", "ExpiredToken",
                            "IncompleteSignature", "MissingAuthenticationToken":
                        return CredentialsSetupException.of(configName,
                                "STS rejected the base credentials from gateway.credentials.source=" + s.source() + baseKeyHint(s) + " (" + f + ")",
                                "Fix the base credentials: an active, complete key pair (with AWS_SESSION_TOKEN for ASIA… keys), "
                                        + "not expired, from the same partition as the role.",
                                "the-security-token-included-in-the-request-is-invalid", "gateway.credentials.source");
                    case "ValidationError":
                        return CredentialsSetupException.of(configName,
                                "STS rejected the AssumeRole parameters (" + f + ")",
                                "Check gateway.credentials.session-duration (PT15M up to the role's maximum session duration), "
                                        + "role-session-name and external-id.",
                                docAnchor, "gateway.credentials.session-duration");
                    case "RegionDisabledException":
                        return CredentialsSetupException.of(configName,
                                "STS is not activated in " + s.region().id() + " (" + f + ")",
                                "Activate the region's STS endpoint in the IAM account settings, or point AWS_ENDPOINT_URL_STS at an active one.",
                                "region", "gateway.region");
                    default:
                        return stsOther(this, s, f);
                }
            }
            return unreachableSts(this, s, error);
        }

        @Override
        Optional<String> role(CredentialsSettings s) {
            return s.roleArn();
        }

        private String baseKeyHint(CredentialsSettings s) {
            return find(s.source()).filter(src -> src == STATIC)
                    .flatMap(src -> s.env().setting(AwsSetting.ACCESS_KEY_ID))
                    .map(id -> ", access key " + Redact.accessKeyId(id)).orElse("");
        }

        private CredentialsStrategy source(CredentialsSettings s) {
            Optional<CredentialsStrategy> found = find(s.source());
            if (found.isEmpty() || found.get() == ASSUME_ROLE) {
                throw CredentialsSetupException.of(configName,
                        "gateway.credentials.source is '" + s.source() + "', which is not a source of base credentials",
                        "Use one of: default, static, profile, instance-role, container, web-identity.", docAnchor,
                        "gateway.credentials.source");
            }
            return found.get();
        }

        /** The source's own settings: gateway.credentials.role-arn is the role to assume, not the source's role. */
        private CredentialsSettings sourceSettings(CredentialsSettings s, CredentialsStrategy source) {
            return s.asSource(source.configName, Optional.empty());
        }
    },

    /** sts:AssumeRoleWithWebIdentity with a token file (EKS IRSA, GitHub Actions OIDC, any OIDC provider). */
    WEB_IDENTITY("web-identity", "web-identity", "gateway.credentials.role-arn", "AWS_ROLE_ARN",
            "gateway.credentials.web-identity-token-file", "AWS_WEB_IDENTITY_TOKEN_FILE", "gateway.credentials.role-session-name",
            "AWS_ROLE_SESSION_NAME", "gateway.credentials.session-duration", "AWS_ENDPOINT_URL_STS") {
        @Override
        void validate(CredentialsSettings s) {
            String arn = webIdentityRole(s).orElseThrow(() -> CredentialsSetupException.of(configName,
                    "neither gateway.credentials.role-arn nor AWS_ROLE_ARN is set",
                    "On EKS annotate the service account with eks.amazonaws.com/role-arn (the IRSA webhook then sets AWS_ROLE_ARN); "
                            + "otherwise set gateway.credentials.role-arn.",
                    docAnchor, "gateway.credentials.role-arn"));
            Validation.roleArn(this, s.roleArn().isPresent() ? "gateway.credentials.role-arn" : "AWS_ROLE_ARN", arn);
            Path file = tokenFile(s).orElseThrow(() -> CredentialsSetupException.of(configName,
                    "neither gateway.credentials.web-identity-token-file nor AWS_WEB_IDENTITY_TOKEN_FILE is set",
                    "Mount the projected service-account token (IRSA sets AWS_WEB_IDENTITY_TOKEN_FILE) or set gateway.credentials.web-identity-token-file.",
                    docAnchor, "gateway.credentials.web-identity-token-file"));
            String token;
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw CredentialsSetupException.of(configName,
                        "gateway.credentials.web-identity-token-file (or AWS_WEB_IDENTITY_TOKEN_FILE) points to " + file
                                + " which cannot be read (" + e.getClass().getSimpleName() + ")",
                        "Mount the projected service-account token or fix the path.", docAnchor,
                        "gateway.credentials.web-identity-token-file");
            }
            if (token.isEmpty()) {
                throw CredentialsSetupException.of(configName,
                        "gateway.credentials.web-identity-token-file (or AWS_WEB_IDENTITY_TOKEN_FILE) points to " + file + " which is empty",
                        "Mount the projected service-account token (not an empty placeholder) or fix the path.", docAnchor,
                        "gateway.credentials.web-identity-token-file");
            }
            Validation.sessionName(this, s.roleSessionName().or(() -> s.env().setting(AwsSetting.ROLE_SESSION_NAME)),
                    "gateway.credentials.role-session-name (or AWS_ROLE_SESSION_NAME)");
            Validation.sessionDuration(this, s);
            Validation.stsEndpoint(this, s);
        }

        @Override
        ProviderHandle build(CredentialsSettings s, StsCallListener listener) {
            String arn = webIdentityRole(s).orElseThrow();
            Path file = tokenFile(s).orElseThrow();
            String sessionName = Validation.sessionName(s.roleSessionName().or(() -> s.env().setting(AwsSetting.ROLE_SESSION_NAME)), s.env());
            Optional<Integer> seconds = s.sessionDuration().map(d -> (int) d.toSeconds());
            // AssumeRoleWithWebIdentity is unsigned: no credentials, so the SDK never looks for any.
            StsClient sts = StsClients.create(s, AnonymousCredentialsProvider.create(), listener);
            try {
                StsAssumeRoleWithWebIdentityCredentialsProvider provider = StsAssumeRoleWithWebIdentityCredentialsProvider.builder()
                        .stsClient(sts)
                        // A supplier, so the token file is read again at every refresh: the kubelet rotates it.
                        .refreshRequest(() -> {
                            AssumeRoleWithWebIdentityRequest.Builder request = AssumeRoleWithWebIdentityRequest.builder()
                                    .roleArn(arn)
                                    .roleSessionName(sessionName)
                                    .webIdentityToken(readToken(file));
                            seconds.ifPresent(request::durationSeconds);
                            return request.build();
                        })
                        .asyncCredentialUpdateEnabled(true)
                        .prefetchTime(s.prefetchTime())
                        .staleTime(s.staleTime())
                        .build();
                return ProviderHandle.of(provider, sts);
            } catch (RuntimeException e) {
                sts.close();
                throw e;
            }
        }

        @Override
        CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
            String arn = webIdentityRole(s).orElse("?");
            String file = tokenFile(s).map(Path::toString).orElse("?");
            Optional<StsFailure> sts = StsFailure.in(error);
            if (sts.isPresent()) {
                StsFailure f = sts.get();
                switch (f.code()) {
                    case "InvalidIdentityToken", "IDPRejectedClaim":
                        return CredentialsSetupException.of(configName,
                                "STS rejected the web identity token read from " + file + " (" + f + ")",
                                "Check that the cluster's IAM OIDC identity provider exists in this account with audience "
                                        + "sts.amazonaws.com, and that the file is the projected service-account token.",
                                "invalididentitytoken", "gateway.credentials.web-identity-token-file");
                    case "ExpiredTokenException", "ExpiredToken":
                        return CredentialsSetupException.of(configName,
                                "the web identity token in " + file + " has expired (" + f + ")",
                                "Point at the projected token the kubelet keeps fresh, not a copy of it.",
                                "expiredtoken", "gateway.credentials.web-identity-token-file");
                    case "AccessDenied":
                        return CredentialsSetupException.of(configName,
                                "STS refused AssumeRoleWithWebIdentity on role " + arn + " (" + f + ")",
                                "The role's trust policy must allow sts:AssumeRoleWithWebIdentity for the cluster's OIDC provider with "
                                        + "conditions matching the token: aud sts.amazonaws.com and sub system:serviceaccount:NAMESPACE:NAME.",
                                "irsa-trust-policy", "gateway.credentials.role-arn");
                    case "IDPCommunicationError":
                        return CredentialsSetupException.of(configName,
                                "STS could not reach the token's OIDC issuer to verify it (" + f + ")",
                                "Make the issuer's /.well-known/openid-configuration reachable from AWS; retry later if it was transient.",
                                "invalididentitytoken", "gateway.credentials.web-identity-token-file");
                    case "ValidationError":
                        return CredentialsSetupException.of(configName,
                                "STS rejected the AssumeRoleWithWebIdentity parameters (" + f + ")",
                                "Check gateway.credentials.session-duration (PT15M up to the role's maximum session duration) and role-session-name.",
                                docAnchor, "gateway.credentials.session-duration");
                    default:
                        return stsOther(this, s, f);
                }
            }
            if (error instanceof SdkClientException && error.getMessage() != null && error.getMessage().startsWith(TOKEN_UNREADABLE)) {
                return CredentialsSetupException.of(configName, Redact.cause(error),
                        "Mount the projected service-account token or fix the path.", docAnchor,
                        "gateway.credentials.web-identity-token-file");
            }
            return unreachableSts(this, s, error);
        }

        @Override
        Optional<String> role(CredentialsSettings s) {
            return webIdentityRole(s);
        }
    },

    /** EC2 instance profile through IMDSv2 only (a session token for every call; never the IMDSv1 fallback). */
    INSTANCE_ROLE("instance-role", "instance-role", "AWS_EC2_METADATA_SERVICE_ENDPOINT") {
        @Override
        void validate(CredentialsSettings s) {
            Env env = s.env();
            if (env.setting(AwsSetting.EC2_METADATA_DISABLED).map(Boolean::parseBoolean).orElse(false)) {
                throw CredentialsSetupException.of(configName,
                        "AWS_EC2_METADATA_DISABLED (aws.disableEc2Metadata) is true, which switches the instance metadata service off",
                        "Unset it, or choose another strategy.", docAnchor, "gateway.credentials.strategy");
            }
            if (env.setting(AwsSetting.EC2_METADATA_V1_DISABLED).map(v -> v.equalsIgnoreCase("false")).orElse(false)) {
                throw CredentialsSetupException.of(configName,
                        "AWS_EC2_METADATA_V1_DISABLED (aws.disableEc2MetadataV1) is false, which would let the SDK fall back to IMDSv1; "
                                + "the gateway only uses IMDSv2",
                        "Unset it (or set it to true) and require IMDSv2 on the instance (HttpTokens=required).", docAnchor,
                        "gateway.credentials.strategy");
            }
            env.setting(AwsSetting.EC2_METADATA_SERVICE_ENDPOINT).ifPresent(e -> Validation.httpUri(this,
                    "AWS_EC2_METADATA_SERVICE_ENDPOINT", e, "Use the metadata endpoint, e.g. http://169.254.169.254 or http://[fd00:ec2::254]."));
        }

        @Override
        ProviderHandle build(CredentialsSettings s, StsCallListener listener) {
            InstanceProfileCredentialsProvider.Builder builder = InstanceProfileCredentialsProvider.builder()
                    // The SDK falls back to tokenless IMDSv1 when the token call fails unless this profile
                    // setting (or the matching variable) says otherwise; the gateway never wants that fallback.
                    .profileFile(IMDSV2_ONLY)
                    .profileName(ProfileFiles.DEFAULT_PROFILE)
                    .asyncCredentialUpdateEnabled(true)
                    .staleTime(s.staleTime());
            s.env().setting(AwsSetting.EC2_METADATA_SERVICE_ENDPOINT).ifPresent(builder::endpoint);
            return ProviderHandle.of(builder.build());
        }

        @Override
        CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
            String endpoint = s.env().setting(AwsSetting.EC2_METADATA_SERVICE_ENDPOINT).orElse("http://169.254.169.254");
            return CredentialsSetupException.of(configName,
                    "no credentials from the EC2 instance metadata service (IMDSv2) at " + endpoint + " (" + Redact.cause(error) + ")",
                    "Run on EC2 with an instance profile attached; from a container on EC2 set the instance's metadata "
                            + "HttpPutResponseHopLimit to 2. IMDSv1 is never used.",
                    docAnchor, "gateway.credentials.strategy");
        }
    },

    /** ECS task role or EKS Pod Identity: the container credentials endpoint. */
    CONTAINER("container", "container", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
        @Override
        void validate(CredentialsSettings s) {
            Env env = s.env();
            Optional<String> full = env.setting(AwsSetting.CONTAINER_CREDENTIALS_FULL_URI);
            Optional<String> relative = env.setting(AwsSetting.CONTAINER_CREDENTIALS_RELATIVE_URI);
            if (full.isEmpty() && relative.isEmpty()) {
                throw CredentialsSetupException.of(configName,
                        "neither AWS_CONTAINER_CREDENTIALS_FULL_URI nor AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is set",
                        "On ECS give the task a task role (the agent sets AWS_CONTAINER_CREDENTIALS_RELATIVE_URI); on EKS install the "
                                + "Pod Identity Agent add-on and create a pod identity association for the service account.",
                        docAnchor, "gateway.credentials.strategy");
            }
            if (relative.isEmpty()) {
                URI uri = Validation.httpUri(this, "AWS_CONTAINER_CREDENTIALS_FULL_URI", full.get(),
                        "Use the agent's URI, e.g. http://169.254.170.23/v1/credentials (EKS Pod Identity).");
                if ("http".equalsIgnoreCase(uri.getScheme()) && !allowedContainerHost(uri.getHost())) {
                    throw CredentialsSetupException.of(configName,
                            "AWS_CONTAINER_CREDENTIALS_FULL_URI is " + uri + ", a plain-http URI on a host the AWS SDK refuses "
                                    + "(only loopback, 169.254.170.2, 169.254.170.23 and fd00:ec2::23 may use http)",
                            "Use https, or the ECS/EKS agent address.", docAnchor, "gateway.credentials.strategy");
                }
            }
            Optional<String> tokenFile = env.setting(AwsSetting.CONTAINER_AUTHORIZATION_TOKEN_FILE);
            if (tokenFile.isPresent() && env.setting(AwsSetting.CONTAINER_AUTHORIZATION_TOKEN).isEmpty()) {
                Path file = Path.of(tokenFile.get());
                try {
                    Files.readAllBytes(file);
                } catch (IOException | RuntimeException e) {
                    throw CredentialsSetupException.of(configName,
                            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE points to " + file + " which cannot be read (" + e.getClass().getSimpleName() + ")",
                            "Mount the EKS Pod Identity token (the eks-pod-identity-token projected volume) or fix the path.",
                            docAnchor, "gateway.credentials.strategy");
                }
            }
        }

        @Override
        ProviderHandle build(CredentialsSettings s, StsCallListener listener) {
            return ProviderHandle.of(ContainerCredentialsProvider.builder().asyncCredentialUpdateEnabled(true).build());
        }

        @Override
        CredentialsSetupException explain(CredentialsSettings s, Throwable error) {
            String where = s.env().setting(AwsSetting.CONTAINER_CREDENTIALS_FULL_URI)
                    .or(() -> s.env().setting(AwsSetting.CONTAINER_CREDENTIALS_RELATIVE_URI).map(r ->
                            s.env().setting(AwsSetting.CONTAINER_SERVICE_ENDPOINT).orElse("http://169.254.170.2") + r))
                    .orElse("?");
            return CredentialsSetupException.of(configName,
                    "no credentials from the container credentials endpoint " + where + " (" + Redact.cause(error) + ")",
                    "On ECS check the task role; on EKS check the Pod Identity Agent add-on, the pod identity association for this "
                            + "service account and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE.",
                    docAnchor, "gateway.credentials.strategy");
        }
    };

    static final String TOKEN_UNREADABLE = "Cannot read the web identity token file";

    private static final ProfileFile IMDSV2_ONLY = ProfileFile.builder()
            .content(new ByteArrayInputStream("[default]\nec2_metadata_v1_disabled = true\n".getBytes(StandardCharsets.UTF_8)))
            .type(ProfileFile.Type.CONFIGURATION)
            .build();

    private static final Set<String> CONTAINER_HOSTS = Set.of("169.254.170.2", "169.254.170.23", "fd00:ec2::23", "[fd00:ec2::23]");

    final String configName;
    final String docAnchor;
    private final List<String> settings;

    CredentialsStrategy(String configName, String docAnchor, String... settings) {
        this.configName = configName;
        this.docAnchor = docAnchor;
        this.settings = List.of(settings);
    }

    /** The name used in {@code gateway.credentials.strategy}. */
    public String configName() {
        return configName;
    }

    /** The settings and variables this strategy reads (its section of docs/credentials.md lists the same). */
    public List<String> settings() {
        return settings;
    }

    /** The strategy of that name, matched case-insensitively ({@code assume_role} works too). */
    public static Optional<CredentialsStrategy> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(v -> v.configName.equals(wanted)).findFirst();
    }

    /** The strategy of that name. @throws CredentialsSetupException naming the valid ones */
    public static CredentialsStrategy named(String name) {
        return find(name).orElseThrow(() -> {
            String valid = Arrays.stream(values()).map(v -> v.configName).collect(Collectors.joining(", "));
            String guess = closest(name);
            return CredentialsSetupException.of(name,
                    "gateway.credentials.strategy (GATEWAY_CREDENTIALS_STRATEGY) is '" + name + "', which is not a strategy",
                    (guess == null ? "" : "Did you mean '" + guess + "'? ") + "Use one of: " + valid + ".",
                    "strategies", "gateway.credentials.strategy");
        });
    }

    /** Checks the settings this strategy needs, before building anything. @throws CredentialsSetupException */
    abstract void validate(CredentialsSettings settings);

    /** Builds the SDK provider (no network call yet). */
    abstract ProviderHandle build(CredentialsSettings settings, StsCallListener listener);

    /** Turns a failure of the first resolution into the one startup message. */
    CredentialsSetupException explain(CredentialsSettings settings, Throwable error) {
        return CredentialsSetupException.of(configName, "resolving credentials failed (" + Redact.cause(error) + ")",
                "Check the settings of this strategy.", docAnchor, "gateway.credentials.strategy");
    }

    /** The role whose sessions this strategy uses, when it knows one (the identity shown in health data). */
    Optional<String> role(CredentialsSettings settings) {
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------------------

    private static Optional<String> webIdentityRole(CredentialsSettings s) {
        return s.roleArn().or(() -> s.env().setting(AwsSetting.ROLE_ARN));
    }

    private static Optional<Path> tokenFile(CredentialsSettings s) {
        return s.webIdentityTokenFile().or(() -> s.env().setting(AwsSetting.WEB_IDENTITY_TOKEN_FILE)).map(Path::of);
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw SdkClientException.create(TOKEN_UNREADABLE + " " + file + ": it is empty");
            }
            return token;
        } catch (IOException e) {
            throw SdkClientException.create(TOKEN_UNREADABLE + " " + file + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static boolean allowedContainerHost(String host) {
        if (host == null) {
            return false;
        }
        if (CONTAINER_HOSTS.contains(host)) {
            return true;
        }
        try {
            return Arrays.stream(InetAddress.getAllByName(host)).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static CredentialsSetupException stsOther(CredentialsStrategy strategy, CredentialsSettings s, StsFailure f) {
        return CredentialsSetupException.of(strategy.configName,
                "STS at " + StsClients.describeEndpoint(s) + " refused the request (" + f + ")",
                "See the troubleshooting section for this error code.", "troubleshooting", "gateway.credentials.role-arn");
    }

    private static CredentialsSetupException unreachableSts(CredentialsStrategy strategy, CredentialsSettings s, Throwable error) {
        return CredentialsSetupException.of(strategy.configName,
                "cannot get an answer from STS at " + StsClients.describeEndpoint(s) + " (" + Redact.cause(error) + ")",
                "Check network access to STS (the regional endpoint, or a VPC endpoint com.amazonaws." + s.region().id()
                        + ".sts), or set AWS_ENDPOINT_URL_STS; gateway.credentials.sts-timeout bounds each call.",
                "sts-unreachable", "gateway.credentials.sts-timeout");
    }

    private static String closest(String name) {
        if (name == null) {
            return null;
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (CredentialsStrategy v : values()) {
            int d = distance(n, v.configName);
            if (d < bestDistance) {
                bestDistance = d;
                best = v.configName;
            }
        }
        return bestDistance <= 3 ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Checks shared by several strategies. */
    static final class Validation {
        private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::\\d{12}:role/[\\w+=,.@/-]{1,512}");
        private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
        private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

        private Validation() {
        }

        static void roleArn(CredentialsStrategy strategy, String setting, String arn) {
            if (!ROLE_ARN.matcher(arn).matches()) {
                throw CredentialsSetupException.of(strategy.configName,
                        setting + " is '" + arn + "', which is not an IAM role ARN",
                        "Use the role's ARN as IAM shows it: arn:aws:iam::ACCOUNT_ID:role/ROLE_NAME (not the role name, not an "
                                + "assumed-role arn:aws:sts:: session ARN).",
                        strategy.docAnchor, "gateway.credentials.role-arn");
            }
        }

        static void sessionName(CredentialsStrategy strategy, Optional<String> name, String setting) {
            name.ifPresent(n -> {
                if (!SESSION_NAME.matcher(n).matches()) {
                    throw CredentialsSetupException.of(strategy.configName,
                            setting + " is '" + n + "', which STS does not accept",
                            "Use 2 to 64 characters among letters, digits and _+=,.@-.", strategy.docAnchor,
                            "gateway.credentials.role-session-name");
                }
            });
        }

        /** The configured session name, else {@code bedrock-gateway-HOST} cut to STS's limits. */
        static String sessionName(Optional<String> configured, Env env) {
            return configured.orElseGet(() -> {
                String host = env.getenv("HOSTNAME").orElseGet(() -> {
                    try {
                        return InetAddress.getLocalHost().getHostName();
                    } catch (UnknownHostException e) {
                        return "local";
                    }
                });
                String name = ("bedrock-gateway-" + host).replaceAll("[^\\w+=,.@-]", "-");
                return name.length() > 64 ? name.substring(0, 64) : name;
            });
        }

        static void externalId(CredentialsStrategy strategy, String id) {
            if (!EXTERNAL_ID.matcher(id).matches()) {
                throw CredentialsSetupException.of(strategy.configName,
                        "gateway.credentials.external-id has " + id.length() + " characters or characters STS does not accept",
                        "Use 2 to 1224 characters among letters, digits and _+=,.@:/-.", strategy.docAnchor,
                        "gateway.credentials.external-id");
            }
        }

        static void sessionDuration(CredentialsStrategy strategy, CredentialsSettings s) {
            if (s.staleTime().isNegative() || s.staleTime().isZero() || s.prefetchTime().compareTo(s.staleTime()) <= 0) {
                throw CredentialsSetupException.of(strategy.configName,
                        "gateway.credentials.prefetch-time (" + s.prefetchTime() + ") must be longer than gateway.credentials.stale-time ("
                                + s.staleTime() + "), and both positive",
                        "Keep the defaults (5m and 1m) unless you have a reason.", "refresh", "gateway.credentials.prefetch-time");
            }
            s.sessionDuration().ifPresent(d -> {
                if (d.compareTo(Duration.ofMinutes(15)) < 0 || d.compareTo(Duration.ofHours(12)) > 0) {
                    throw CredentialsSetupException.of(strategy.configName,
                            "gateway.credentials.session-duration is " + d + ", outside what STS accepts (PT15M to PT12H)",
                            "Use e.g. PT1H; above PT1H the role's MaxSessionDuration must allow it.", strategy.docAnchor,
                            "gateway.credentials.session-duration");
                }
                if (d.compareTo(s.prefetchTime()) <= 0) {
                    throw CredentialsSetupException.of(strategy.configName,
                            "gateway.credentials.session-duration (" + d + ") is not longer than gateway.credentials.prefetch-time ("
                                    + s.prefetchTime() + "), so sessions would be refreshed without pause",
                            "Lengthen the session or shorten prefetch-time.", "refresh", "gateway.credentials.session-duration");
                }
            });
        }

        static void stsEndpoint(CredentialsStrategy strategy, CredentialsSettings s) {
            Optional<String> raw = s.env().setting(AwsSetting.ENDPOINT_URL_STS).or(() -> s.env().setting(AwsSetting.ENDPOINT_URL));
            raw.ifPresent(r -> httpUri(strategy, "AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL)", r,
                    "Use a URL such as https://sts.us-east-1.amazonaws.com."));
        }

        static URI httpUri(CredentialsStrategy strategy, String setting, String value, String fix) {
            try {
                URI uri = new URI(value);
                if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                    throw new IllegalArgumentException("not an http(s) URL with a host");
                }
                return uri;
            } catch (Exception e) {
                throw CredentialsSetupException.of(strategy.configName,
                        setting + " is '" + value + "', which is not an http(s) URL (" + e.getMessage() + ")", fix,
                        strategy.docAnchor, "gateway.credentials.strategy");
            }
        }
    }
}
