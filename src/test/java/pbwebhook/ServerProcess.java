package pbwebhook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The packaged server ({@code server.jar}) as a child process on a free loopback port, for the *IT tests. */
final class ServerProcess {

  final Process process;
  final int port;
  final Path log;
  final TestHttp http;

  private ServerProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
    this.http = new TestHttp(port);
  }

  static ServerProcess start(Path dataDir, Path log, Map<String, String> env, String... jvmArgs) throws IOException {
    ServerProcess sp = launch(dataDir, log, env, jvmArgs);
    sp.awaitHealthy(Duration.ofSeconds(60));
    return sp;
  }

  /** Starts the process without waiting for it (members started together wait for each other). */
  static ServerProcess launch(Path dataDir, Path log, Map<String, String> env, String... jvmArgs) throws IOException {
    String jar = System.getProperty("server.jar", "target/pb-webhook-server.jar");
    if (!Files.exists(Path.of(jar))) throw new IllegalStateException("no server jar at " + jar + ": run mvn verify");
    int port = FreePort.pick();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(List.of(jvmArgs));
    cmd.add("-jar");
    cmd.add(jar);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("WEBHOOK_SECRET_") || k.equals("ADMIN_TOKEN")
        || k.equals("PB_WEBHOOK_SECRET") || k.equals("AIRTABLE_API_KEY"));
    pb.environment().put("HTTP_HOST", "127.0.0.1");
    pb.environment().put("PORT", Integer.toString(port));
    pb.environment().put("DATA_DIR", dataDir.toString());
    pb.environment().putAll(env);
    return new ServerProcess(pb.start(), port, log);
  }

  void awaitHealthy(Duration limit) throws IOException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("server exited at start-up:\n" + Files.readString(log));
      try {
        if (http.get("/health").status() == 200) return;
      } catch (IllegalStateException notYet) {
        // not listening yet
      }
      ServerEndToEndTest.pause();
    }
    throw new IllegalStateException("server not healthy within " + limit + ":\n" + Files.readString(log));
  }
}
