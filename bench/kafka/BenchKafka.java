import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupNotEmptyException;

/**
 * The few broker questions bench/cluster.sh asks, through Kafka's own Admin client (the broker
 * fixture's jars: kafka-tools, which holds kafka-consumer-groups, is not among them). Compiled by
 * the script with javac; one JVM per question, and one for the whole wait of a consuming step so
 * that polling costs the measured machine next to nothing.
 *
 * <pre>
 *   create-topic BOOTSTRAP TOPIC PARTITIONS
 *   end-offsets BOOTSTRAP TOPIC                       prints the sum of the partitions' end offsets
 *   wait-consumed BOOTSTRAP GROUP TOPIC SECONDS       prints "progress MILLIS COMMITTED" when the
 *       group's committed offsets first move (COMMITTED: the records they already cover), then "done MILLIS RECORDS" when its lag is 0 on every
 *       partition (exit 0), or "timeout MILLIS COMMITTED" after SECONDS (exit 1)
 *   reset-app BOOTSTRAP APPLICATION_ID SECONDS        deletes the Streams application's group and
 *       internal topics (APPLICATION_ID-*): the next run reads the input from the start with
 *       empty state, as kafka-streams-application-reset does. Waits up to SECONDS for the group
 *       to be empty (a closed Streams member stays in it until its session times out)
 * </pre>
 */
public final class BenchKafka {
  private static final long POLL_MILLIS = 250;

  public static void main(String[] args) throws Exception {
    if (args.length < 2) usage();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[1],
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000))) {
      switch (args[0]) {
        case "create-topic" -> {
          if (args.length != 4) usage();
          admin.createTopics(List.of(new NewTopic(args[2], Integer.parseInt(args[3]), (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        case "end-offsets" -> {
          if (args.length != 3) usage();
          System.out.println(sum(endOffsets(admin, args[2])));
        }
        case "wait-consumed" -> {
          if (args.length != 5) usage();
          System.exit(waitConsumed(admin, args[2], args[3], Long.parseLong(args[4])));
        }
        case "reset-app" -> {
          if (args.length != 4) usage();
          resetApp(admin, args[2], Long.parseLong(args[3]));
        }
        default -> usage();
      }
    }
  }

  private static int waitConsumed(Admin admin, String group, String topic, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Map<TopicPartition, Long> end = endOffsets(admin, topic); // the topic is filled before the step starts
    long total = sum(end);
    boolean moved = false;
    long committed = 0;
    while (System.nanoTime() < deadline) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
      committed = 0;
      boolean caughtUp = true;
      for (var e : end.entrySet()) {
        OffsetAndMetadata o = offsets.get(e.getKey());
        long at = o == null ? 0 : o.offset();
        committed += at;
        if (at < e.getValue()) caughtUp = false;
      }
      if (!moved && committed > 0) {
        moved = true;
        say("progress " + System.currentTimeMillis() + " " + committed);
      }
      if (caughtUp) {
        if (!moved) say("progress " + System.currentTimeMillis() + " " + committed);
        say("done " + System.currentTimeMillis() + " " + total);
        return 0;
      }
      Thread.sleep(POLL_MILLIS);
    }
    say("timeout " + System.currentTimeMillis() + " " + committed);
    return 1;
  }

  private static void resetApp(Admin admin, String applicationId, long seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (admin.listGroups().all().get(20, TimeUnit.SECONDS).stream().anyMatch(g -> g.groupId().equals(applicationId))) {
      try {
        admin.deleteConsumerGroups(List.of(applicationId)).all().get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof GroupNotEmptyException) || System.nanoTime() > deadline) throw e;
        Thread.sleep(500);
      }
    }
    List<String> internal = admin.listTopics().names().get(20, TimeUnit.SECONDS).stream()
        .filter(t -> t.startsWith(applicationId + "-")).sorted().toList();
    if (!internal.isEmpty()) admin.deleteTopics(internal).all().get(30, TimeUnit.SECONDS);
  }

  private static Map<TopicPartition, Long> endOffsets(Admin admin, String topic) throws Exception {
    var description = admin.describeTopics(List.of(topic)).allTopicNames().get(20, TimeUnit.SECONDS).get(topic);
    Map<TopicPartition, OffsetSpec> latest = description.partitions().stream()
        .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get(20, TimeUnit.SECONDS).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
  }

  private static long sum(Map<TopicPartition, Long> offsets) {
    return offsets.values().stream().mapToLong(Long::longValue).sum();
  }

  private static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void usage() {
    System.err.println("usage: BenchKafka create-topic|end-offsets|wait-consumed|reset-app BOOTSTRAP ... (see the class comment)");
    System.exit(2);
  }
}
