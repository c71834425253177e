# syntax=docker/dockerfile:1.7
#
# Bedrock Chat Gateway, JVM image: Temurin 25 JRE + a JDK 25 AOT cache (JEP 483/514) trained at build
# time, which cuts start-up to the first answer by about half (docs/performance.md#start-up).
#
#   docker build -t bedrock-chat-gateway:jvm .
#   docker run --rm -p 8080:8080 -e GATEWAY_API_KEYS=... -e AWS_REGION=us-east-1 bedrock-chat-gateway:jvm
#
# The API listens on 8080; health (/q/health) and metrics (/q/metrics) only on the management port 9000,
# which is not EXPOSEd (docs/deployment.md#operations-port). No credentials are baked in: they come at
# run time from the environment (IRSA, Pod Identity, ECS task role, instance role, ...). See
# docs/deployment.md. The native image is Dockerfile.native.
#
# A second target, used by deploy/compose/compose.yaml for the local trial, is the stand-alone Bedrock
# simulator on the same JRE (no gateway in it):
#
#   docker build --target simulator -t bedrock-chat-gateway:simulator .

ARG TEMURIN_VERSION=25

# ---- 1. build: the multi-module project (root pom.xml: eventstream-patch/, simulator/, dev-simulator/, gateway/). The gateway
#      in the aot-jar layout (classes on the JDK's own class loaders, which the AOT cache needs) with the
#      management interface (a build-time setting), the stand-alone simulator jar that the training run
#      talks to, and the probe used by the training run.
FROM eclipse-temurin:${TEMURIN_VERSION}-jdk-noble AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY simulator/pom.xml simulator/
COPY dev-simulator/pom.xml dev-simulator/
COPY eventstream-patch/pom.xml eventstream-patch/
COPY gateway/pom.xml gateway/
COPY simulator/src/ simulator/src/
COPY dev-simulator/src/ dev-simulator/src/
COPY eventstream-patch/src/ eventstream-patch/src/
COPY gateway/src/ gateway/src/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -pl simulator,gateway -am package -DskipTests \
        -Dquarkus.package.jar.type=aot-jar -Dquarkus.management.enabled=true
COPY deploy/docker/GatewayProbe.java probe/
RUN javac --release 17 -d /opt/probe probe/GatewayProbe.java

# ---- 2. simulator (only with --target simulator): the stand-alone Bedrock simulator for the compose
#      trial. Not part of the gateway image below.
FROM eclipse-temurin:${TEMURIN_VERSION}-jre-noble AS simulator
LABEL org.opencontainers.image.title="bedrock-simulator" \
      org.opencontainers.image.description="Bedrock Runtime simulator for local trials of the Bedrock Chat Gateway (no AWS)" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /src/simulator/target/bedrock-simulator.jar /opt/simulator/bedrock-simulator.jar
COPY --chmod=0755 deploy/docker/healthcheck.sh /opt/simulator/healthcheck.sh
USER 10001:0
EXPOSE 8089
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=20 \
    CMD ["/opt/simulator/healthcheck.sh", "/ping", "8089"]
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=70", "-jar", "/opt/simulator/bedrock-simulator.jar", "--host=0.0.0.0"]
CMD ["--port=8089"]

# ---- 3. runtime (the default target): the same JRE runs the training and the service (an AOT cache only
#      loads on the JVM build that wrote it, and only with the same class path, so training happens in
#      this stage).
FROM eclipse-temurin:${TEMURIN_VERSION}-jre-noble

LABEL org.opencontainers.image.title="bedrock-chat-gateway" \
      org.opencontainers.image.description="OpenAI-compatible chat completions gateway in front of Amazon Bedrock (JVM, AOT cache)" \
      org.opencontainers.image.licenses="Apache-2.0"

# SerialGC: the gateway is I/O bound and runs with a small heap (<= 1 GiB) on 1-2 CPUs, where SerialGC
# has the smallest footprint and CPU overhead and its young pauses stay in the low milliseconds (the JVM
# picks it by itself below 2 CPUs / 1792 MiB; naming it keeps behaviour the same whatever the limits).
# With more than ~2 GiB of heap and 2+ CPUs, set JAVA_OPTS_BASE with -XX:+UseG1GC instead; the AOT cache
# still loads. MaxRAMPercentage=70 leaves the rest of the container limit for metaspace, code cache,
# thread stacks and Netty's direct buffers (figures in docs/deployment.md#sizing).
# QUARKUS_MANAGEMENT_PORT: the operations port (health, metrics); healthcheck.sh reads it too.
ENV LANG=C.UTF-8 \
    QUARKUS_HTTP_PORT=8080 \
    QUARKUS_MANAGEMENT_PORT=9000 \
    JAVA_OPTS_BASE="-XX:+UseSerialGC -XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=20 -XX:+ExitOnOutOfMemoryError" \
    JAVA_OPTS=""

RUN useradd --system --uid 10001 --gid 0 --home-dir /app --no-create-home --shell /usr/sbin/nologin gateway

# Application files stay owned by root and read-only for the service user.
COPY --from=build /src/gateway/target/quarkus-app/ /app/
COPY --from=build /opt/probe/ /opt/gateway/probe/
COPY --chmod=0755 deploy/docker/entrypoint.sh deploy/docker/healthcheck.sh deploy/docker/aot-train.sh /opt/gateway/

# Training run: the stand-alone Bedrock simulator (bind-mounted from the build stage for this step only,
# so not one simulator class lands in the image) and the gateway pointed at it, both on 127.0.0.1; every
# route driven, the gateway stopped; the JVM writes /app/app.aot on exit. Nothing leaves the build
# container and no credentials are used.
RUN --mount=type=bind,from=build,source=/src/simulator/target,target=/mnt/bedrock-simulator \
    JAVA=java /opt/gateway/aot-train.sh /app /app/app.aot /opt/gateway/probe /mnt/bedrock-simulator/bedrock-simulator.jar \
    && chmod 0644 /app/app.aot \
    && rm -rf /tmp/* /tmp/.[!.]*

USER 10001:0
WORKDIR /app
# 8080 only: the management port (9000) is for probes and scrapers inside the cluster, never published.
EXPOSE 8080
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["/opt/gateway/healthcheck.sh", "/q/health/live"]
ENTRYPOINT ["/opt/gateway/entrypoint.sh"]
