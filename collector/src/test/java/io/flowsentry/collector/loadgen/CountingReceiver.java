package io.flowsentry.collector.loadgen;

import io.flowsentry.collector.udp.UdpInputConfig;
import io.flowsentry.collector.udp.UdpServer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The receiving side of {@code bench/ingest.sh} until the full daemon runs there: a
 * {@link UdpServer} whose handler only counts records and their octet/packet sums with
 * {@link ExportPacketReader}, writing the running totals to a status file every 200 ms so the
 * script can take differences between rate steps. Stops on SIGTERM or after --max-seconds.
 *
 * <pre>
 * CountingReceiver --listen 127.0.0.1:9995 --status /tmp/status [--sockets 2] [--receive-buffer 16777216] [--max-seconds 3600]
 * </pre>
 */
public final class CountingReceiver {
  private CountingReceiver() {}

  public static void main(String[] args) throws Exception {
    String listen = "127.0.0.1:9995";
    Path status = null;
    Integer sockets = null;
    int receiveBuffer = UdpInputConfig.DEFAULT_RECEIVE_BUFFER;
    long maxSeconds = 3600;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--listen" -> listen = args[i + 1];
        case "--status" -> status = Path.of(args[i + 1]);
        case "--sockets" -> sockets = Integer.valueOf(args[i + 1]);
        case "--receive-buffer" -> receiveBuffer = Integer.parseInt(args[i + 1]);
        case "--max-seconds" -> maxSeconds = Long.parseLong(args[i + 1]);
        default -> throw new IllegalArgumentException(args[i] + ": unknown option");
      }
    }
    if (status == null) throw new IllegalArgumentException("--status FILE is required");
    ExportPacketReader reader = new ExportPacketReader();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    UdpServer server = new UdpServer(new UdpInputConfig(List.of(listen), List.of(), receiveBuffer, sockets, null, null, null),
        (sender, content, millis) -> reader.read(content), registry);
    server.start();
    Path statusFile = status;
    Runnable write = () -> writeStatus(statusFile, reader, kernelDrops(registry));
    Thread main = Thread.currentThread();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      main.interrupt();
      long drops = kernelDrops(registry); // read while the sockets still exist
      server.close();
      writeStatus(statusFile, reader, drops);
    }));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
    try {
      while (System.nanoTime() < deadline) {
        write.run();
        Thread.sleep(200);
      }
    } catch (InterruptedException e) {
      return; // shutting down: the hook writes the last status
    }
    long drops = kernelDrops(registry);
    server.close();
    writeStatus(statusFile, reader, drops);
  }

  private static long kernelDrops(SimpleMeterRegistry registry) {
    return (long) registry.find("flowsentry.socket.drops").functionCounters().stream().mapToDouble(FunctionCounter::count).sum();
  }

  private static void writeStatus(Path status, ExportPacketReader reader, long kernelDrops) {
    String line = reader.totals() + " kernel_drops=" + kernelDrops + "\n";
    try {
      Path tmp = status.resolveSibling(status.getFileName() + ".tmp");
      Files.writeString(tmp, line);
      Files.move(tmp, status, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      System.err.println("counting receiver: cannot write " + status + ": " + e.getMessage());
    }
  }
}
