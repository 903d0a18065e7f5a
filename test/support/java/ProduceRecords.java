// Produces records with the reference Java client, as producers other than kafkajs write them:
// a chosen compression.type, null keys and values (tombstones), binary header values, and a
// max.request.size above the broker's default. The tests use it to feed the screener what
// Java, Go and librdkafka producers send.
//
// Run with Java 17+ single-file launch:
//   java -cp "<kafka libs>/*" ProduceRecords.java BROKERS COMPRESSION MAX_REQUEST_SIZE [CLIENT_PROPERTIES_FILE]
// Standard input, one record a line, fields separated by one space, "-" for null, else base64:
//   TOPIC KEY VALUE [HEADER_NAME:HEADER_VALUE ...]
// Standard output, one line a record in input order: "<partition> <offset>".
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class ProduceRecords {
  private static byte[] decode(String field) {
    return field.equals("-") ? null : Base64.getDecoder().decode(field);
  }

  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    if (args.length > 3) {
      try (InputStream in = new FileInputStream(args[3])) {
        props.load(in);
      }
    }
    props.put("bootstrap.servers", args[0]);
    props.put("compression.type", args[1]);
    props.put("max.request.size", args[2]);
    props.put("buffer.memory", String.valueOf(Math.max(32L << 20, 4L * Long.parseLong(args[2]))));
    props.put("acks", "all");
    // Records sent together share a batch, so a codec sees more than one record at a time.
    props.put("linger.ms", "20");
    props.put("key.serializer", ByteArraySerializer.class.getName());
    props.put("value.serializer", ByteArraySerializer.class.getName());
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isEmpty()) continue;
        String[] fields = line.split(" ");
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(fields[0], decode(fields[1]), decode(fields[2]));
        for (int i = 3; i < fields.length; i++) {
          int colon = fields[i].indexOf(':');
          String name = new String(decode(fields[i].substring(0, colon)), StandardCharsets.UTF_8);
          record.headers().add(name, decode(fields[i].substring(colon + 1)));
        }
        sent.add(producer.send(record));
      }
      producer.flush();
      StringBuilder out = new StringBuilder();
      for (Future<RecordMetadata> future : sent) {
        RecordMetadata metadata = future.get();
        out.append(metadata.partition()).append(' ').append(metadata.offset()).append('\n');
      }
      System.out.print(out);
    }
  }
}
