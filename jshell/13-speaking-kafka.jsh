// Lesson 13: speaking Kafka.
// Step through with ./toykafka step 13, or open JShell here with jshell/start 13.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.broker.*;
import toykafka.broker.config.*;
import toykafka.common.TopicPartition;
import toykafka.kafka.KafkaFrontEnd;
import toykafka.common.Directories;
import toykafka.lesson13.*;
import java.io.*;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

// A broker as in lesson 10, on an emptied directory, with its Kafka front end on a free port (kafka.port=0).
// The front end's log goes to a buffer, so the notebook can read it.
var dataDir = Path.of("data", "generated", "13-notebook");
// ==> data/generated/13-notebook
Directories.deleteTree(dataDir);
var broker = Broker.start(BrokerConfig.of(Map.of("http.port", "0", "kafka.port", "0", "stats.interval.ms", "0", "log.flush.interval.messages", "1")).with("data.dir", dataDir))
// ==> Broker[__broker_stats, __consumer_offsets]
var frontLog = new ByteArrayOutputStream()
// ==>
var front = KafkaFrontEnd.start(broker, false, new PrintStream(frontLog, true))
// ==> KafkaFrontEnd[listening on 127.0.0.1]

// An ApiVersions request (api key 18) written by hand, in version 0, whose body is empty: all of it is the
// request header, version 1. Api key, api version, correlation id, then the client id with an int16 length.
var clientId = "notebook".getBytes(StandardCharsets.UTF_8)
// ==> byte[8] { 110, 111, 116, 101, 98, 111, 111, 107 }
var request = ByteBuffer.allocate(2 + 2 + 4 + 2 + clientId.length)
// ==> java.nio.HeapByteBuffer[pos=0 lim=18 cap=18]
request.putShort((short) 18).putShort((short) 0).putInt(42).putShort((short) clientId.length).put(clientId).flip()
// ==> java.nio.HeapByteBuffer[pos=0 lim=18 cap=18]

// Lesson 13's header decoder reads it back, the way the broker reads every request first.
new HeaderDecoder().read(request.duplicate(), 1)
// ==> Header[apiKey=18, apiVersion=0, correlationId=42, clientId=notebook]

// A plain socket sends it with its 4-byte size in front and reads the answer's frame.
var socket = KafkaSocket.connect(front.bootstrapServers())
// ==> KafkaSocket[connected to 127.0.0.1]
var answer = socket.exchange(request)
// ==> java.nio.HeapByteBuffer[pos=0 lim=358 cap=358]

// Predict: what are the answer's first four bytes?
answer.getInt()
// ==> 42

// The response header (version 0: ApiVersions' always is) was only the correlation id. The body: an error
// code, then an int32 count of APIs, each its key, lowest and highest version.
answer.getShort()
// ==> 0
var count = answer.getInt()
// ==> 58
var ranges = new TreeMap<Integer, String>()
// ==> {}
for (int i = 0; i < count; i++) { ranges.put((int) answer.getShort(), answer.getShort() + " to " + answer.getShort()); }
ranges
// ==> {0=0 to 13, 1=4 to 18, 2=1 to 11, 3=0 to 13, 8=2 to 10, 9=1 to 10, 10=0 to 6, 11=0 to 9, 12=0 to 4, 13=0 to 5, 14=0 to 5, 15=0 to 6, 16=0 to 5, 17=0 to 1, 18=0 to 5, 19=2 to 7, 20=1 to 6, 21=0 to 2, 22=0 to 5, 24=0 to 5, 25=0 to 4, 26=0 to 5, 27=1 to 2, 28=0 to 6, 29=1 to 3, 30=1 to 3, 31=1 to 3, 32=1 to 4, 33=0 to 2, 35=1 to 5, 36=0 to 2, 37=0 to 3, 42=0 to 3, 44=0 to 1, 47=0 to 0, 48=0 to 1, 49=0 to 1, 50=0 to 0, 51=0 to 0, 57=0 to 2, 60=0 to 2, 61=0 to 0, 65=0 to 0, 66=0 to 2, 68=0 to 1, 69=0 to 1, 74=0 to 1, 75=0 to 0, 76=1 to 1, 77=1 to 1, 78=1 to 2, 79=1 to 2, 88=0 to 1, 89=0 to 1, 90=0 to 1, 91=0 to 0, 92=0 to 0, 93=0 to 0}

// Version 0 has nothing after the list: no throttle time. The client picks, for each API, the highest version
// in both its range and this one.
answer.remaining()
// ==> 0
socket.close();

// Kafka's own producer, from kafka-clients, pointed at the same port. The topic does not exist yet:
// auto.create.topics.enable makes it on the first request that names it.
var sent = new ArrayList<Object>()
// ==> []
try (var till = new KafkaProducer<String, String>(Map.of("bootstrap.servers", front.bootstrapServers(), "client.id", "till-1"), new StringSerializer(), new StringSerializer())) { sent.add(till.send(new ProducerRecord<>("orders", 0, 1_700_000_000_000L, "till-1", "cod and chips")).get()); }
sent
// ==> [orders-0@0]

// The producer was idempotent (kafka-clients' default): the batch on disk carries its producer id. The log
// holds one record, written from the bytes the producer sent.
broker.partitions().listOffsets(new TopicPartition("orders", 0), Partitions.LATEST).offset()
// ==> 1

// Wafka's frame (Wafka is one of the systems the course grew from): Kafka's fields, but every string with
// an int32 length. Its first 16 bytes, then those of the same request in Kafka's encoding: they part at
// byte 8, the client id's length.
WafkaFrames.hexDump(WafkaFrames.wafkaProduce(), 16).strip()
// ==> "0000  00 00 00 03 00 00 00 03 00 00 00 0e 77 61 66 6b  ............wafk\n... 167 bytes more"
WafkaFrames.hexDump(WafkaFrames.kafkaProduce(), 16).strip()
// ==> "0000  00 00 00 03 00 00 00 03 00 0e 77 61 66 6b 61 2d  ..........wafka-\n... 231 bytes more"

// Predict: the broker reads the client id's length as 00 00. What does it take the next fields to be, and
// what does it do?
broker.createTopic("deliveries", 1, Map.of(), toykafka.lesson04.OnDuplicate.FAIL)
// ==> "deliveries"
var wafka = KafkaSocket.connect(front.bootstrapServers())
// ==> KafkaSocket[connected to 127.0.0.1]
wafka.sendRaw(WafkaFrames.sized(WafkaFrames.wafkaProduce()));
wafka.closedByBroker()
// ==> true
wafka.close();

// The broker closed the connection, and its log says why (after the client's address, left out here):
frontLog.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains("Produce v3")).map(line -> line.substring(line.indexOf("Produce v3"))).findFirst().orElseThrow()
// ==> "Produce v3 #3: topic_data claims 30000 elements but only 147 bytes are left in the request"
broker.partitions().listOffsets(new TopicPartition("deliveries", 0), Partitions.LATEST).offset()
// ==> 0

// The same request in Kafka's encoding is written.
var kafka = KafkaSocket.connect(front.bootstrapServers())
// ==> KafkaSocket[connected to 127.0.0.1]
HandBuiltRequests.produceAnswer(kafka.exchange(ByteBuffer.wrap(WafkaFrames.kafkaProduce())))
// ==> NONE, offset 0
kafka.close();

// When you are done: close the front end and the broker, which frees their ports and the data directory.
// (jshell/start --run stops before these lines, so the broker is still there to experiment with.)
front.close();
broker.close();
