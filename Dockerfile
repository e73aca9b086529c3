# Build stage: Maven with Java 17 builds the shaded jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp -q dependency:go-offline
COPY src src
RUN mvn -B -ntp -q package -DskipTests

# Run stage: a JRE running the jar; embedded data lives on a volume.
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/pb-webhook-server.jar /app/pb-webhook-server.jar
COPY conf /app/conf
ENV DATA_DIR=/data
RUN mkdir -p /data && chown 10001 /data
VOLUME /data
EXPOSE 3000
USER 10001
# Heap bounded by the container's memory limit, leaving room for SQLite's page cache, threads and metaspace.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=50", "-jar", "/app/pb-webhook-server.jar"]
