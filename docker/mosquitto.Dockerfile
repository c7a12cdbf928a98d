# The compose broker: Debian 12's Mosquitto 2.0.11 (the version scripts/infra.sh runs and test/devices covers)
# with the device listener's plugin, libs/broker-auth/mosquitto/refuse-subscriptions.c (devices may not
# subscribe; Mosquitto 2.0's acl_file cannot refuse a subscription). The eclipse-mosquitto image ships no plugin
# headers to build it against, and Alpine's would give a musl build checked nowhere else.
FROM debian:bookworm-slim AS plugin
RUN apt-get update \
  && apt-get install -y --no-install-recommends gcc libc6-dev mosquitto-dev libmosquitto-dev \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY scripts/build-mosquitto-plugin.sh scripts/
COPY libs/broker-auth/mosquitto/refuse-subscriptions.c libs/broker-auth/mosquitto/
RUN bash scripts/build-mosquitto-plugin.sh /build/refuse-subscriptions.so

FROM debian:bookworm-slim
RUN apt-get update \
  && apt-get install -y --no-install-recommends mosquitto mosquitto-clients \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /mosquitto/config /mosquitto/data
COPY --from=plugin /build/refuse-subscriptions.so /usr/lib/mosquitto/refuse-subscriptions.so
# docker-compose.yml mounts docker/mosquitto.conf here.
CMD ["/usr/sbin/mosquitto", "-c", "/mosquitto/config/mosquitto.conf"]
