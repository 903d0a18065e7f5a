// Reads a whole topic with the reference Java client at isolation.level=read_committed and prints
// one line per record: "<partition> <offset> <value>". The fault tests use it to count alerts
// as a correct read_committed consumer sees them: kafkajs 2.2.4's own aborted-record filter
// (src/consumer/filterAbortedMessages.js) lets records of aborted transactions through when
// several aborted transactions overlap on a partition (it expects the broker's aborted list in
// first-offset order and takes one entry per message).
//
// Run with Java 17+ single-file launch:
//   java -cp "<kafka libs>/*" ReadCommitted.java BROKERS TOPIC [CLIENT_PROPERTIES_FILE]
// The optional file adds client properties: the security settings of a SASL_SSL listener.
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

public class ReadCommitted {
  public static void main(String[] args) throws IOException {
    Properties props = new Properties();
    if (args.length > 2) {
      try (InputStream in = new FileInputStream(args[2])) {
        props.load(in);
      }
    }
    props.put("bootstrap.servers", args[0]);
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", "false");
    props.put("key.deserializer", ByteArrayDeserializer.class.getName());
    props.put("value.deserializer", ByteArrayDeserializer.class.getName());
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(args[1]).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // Under read_committed the end offsets are the last stable offsets.
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.currentTimeMillis() + 60_000;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.currentTimeMillis() > deadline) throw new IllegalStateException("timed out");
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
          System.out.println(r.partition() + " " + r.offset() + " " + value.replace('\n', ' '));
        }
      }
    }
  }
}
