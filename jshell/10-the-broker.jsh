// Lesson 10: the broker.
// Step through with ./toykafka step 10, or open JShell here with jshell/start 10.
// Each snippet is followed by the value it shows; guess it before you look.
import toykafka.broker.*;
import toykafka.broker.config.*;
import toykafka.http.HttpFrontEnd;
import toykafka.common.Directories;
import toykafka.lesson10.Http;
import java.nio.file.*;
import java.util.Map;

// A broker keeps everything in one data directory, emptied here so every run starts the same.
var dataDir = Path.of("data", "generated", "10-notebook");
// ==> data/generated/10-notebook
Directories.deleteTree(dataDir);

// Its settings carry Kafka's names. Port 0 picks any free port; log.flush.interval.messages=1 makes each
// topic fsync before it acknowledges a record; the statistics timer is off and the cluster's id is fixed,
// so the run stays the same (a new data directory otherwise gets a random id, as Kafka's does).
var config = BrokerConfig.of(Map.of("http.port", "0", "log.flush.interval.messages", "1", "stats.interval.ms", "0",
        "cluster.id", "toykafka-lesson-9-kitA")).with("data.dir", dataDir);
// ==> BrokerConfig{advertised.host=, advertised.listeners=, advertised.port=0, allow.everyone.if.no.acl.found=false, authentication.method=NONE, authentication.realm=KafkaRest, authorizer.class.name=, auto.create.topics.enable=true, cluster.id=toykafka-lesson-9-kitA, connection.failed.authentication.delay.ms=100, connections.max.idle.ms=600000, connections.max.reauth.ms=0, consumer.instance.timeout.ms=300000, consumer.instances.max=1000, data.dir=data/generated/10-notebook, errors.deadletterqueue.auto.create.topics.enable=false, errors.deadletterqueue.topic.name.prefix=dlq., file.descriptor.limit=0, group.consumer.assignors=uniform,range, group.consumer.heartbeat.interval.ms=5000, group.consumer.max.size=2147483647, group.consumer.migration.policy=bidirectional, group.consumer.session.timeout.ms=45000, group.coordinator.memory.max.bytes=268435456, group.initial.rebalance.delay.ms=0, group.max.session.timeout.ms=1800000, group.max.size=2147483647, group.min.session.timeout.ms=6000, group.share.heartbeat.interval.ms=5000, group.share.max.share.sessions=2000, group.share.session.timeout.ms=45000, group.streams.heartbeat.interval.ms=5000, group.streams.session.timeout.ms=45000, host=127.0.0.1, http.allowed.origins=, http.port=0, idle.timeout.ms=30000, kafka.port=9092, listener.security.protocol.map=SASL_SSL:SASL_SSL,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT, listeners=, log.cleaner.backoff.ms=15000, log.cleaner.dedupe.buffer.size=16777216, log.cleaner.enable=true, log.flush.interval.messages=1, log.flush.interval.ms=none, log.open.files.max=1000, log.retention.check.interval.ms=300000, log.retention.ms=604800000, max.connections=1000, max.connections.per.ip=500, max.connections.per.ip.overrides=, node.id=1, num.partitions=1, offset.metadata.max.bytes=4096, offsets.retention.check.interval.ms=600000, offsets.retention.minutes=10080, offsets.topic.segment.bytes=1048576, queued.max.request.bytes=104857600, quota.window.num=11, quota.window.size.seconds=1, request.arrival.timeout.ms=10000, sasl.enabled.mechanisms=GSSAPI, session.timeout.ms=45000, socket.receive.buffer.bytes=102400, socket.request.max.bytes=104857600, socket.send.buffer.bytes=102400, stats.interval.ms=0, storage=file, super.users=, transaction.abort.timed.out.transaction.cleanup.interval.ms=10000, transaction.max.timeout.ms=900000, transactional.id.expiration.ms=604800000}

// Starting the broker opens (and if need be recovers) every log in the directory, then replays the
// committed offsets. It begins with two topics of its own. The front end answers HTTP on loopback.
var broker = Broker.start(config);
// ==> Broker[__broker_stats, __consumer_offsets]
var front = HttpFrontEnd.start(broker, System.err);
// ==> HttpFrontEnd[listening on 127.0.0.1]
var http = new Http(front.address());
// ==> Http[http://127.0.0.1]

// Everything from here on is an HTTP request a learner could send with curl. A topic first:
http.post("/v3/clusters/toykafka/topics", "{\"topic_name\":\"orders\",\"partitions_count\":3}")
// ==> 201 {"kind":"KafkaTopic","metadata":{"self":"http://127.0.0.1/v3/clusters/toykafka-lesson-9-kitA/topics/orders","resource_name":"crn:///kafka=toykafka-lesson-9-kitA/topic=orders"},"cluster_id":"toykafka-lesson-9-kitA","topic_name":"orders","is_internal":false,"replication_factor":1,"partitions_count":3,"partitions":{"related":"http://127.0.0.1/v3/clusters/toykafka-lesson-9-kitA/topics/orders/partitions"},"configs":{"related":"http://127.0.0.1/v3/clusters/toykafka-lesson-9-kitA/topics/orders/configs"},"partition_reassignments":{"related":"http://127.0.0.1/v3/clusters/toykafka-lesson-9-kitA/topics/orders/partitions/-/reassignment"},"authorized_operations":[]}

// Predict: a till sends an order keyed "till-1". Which partition does it land in, and at which offset?
http.post("/v3/clusters/toykafka/topics/orders/records", "{\"key\":\"till-1\",\"value\":\"cod and chips\",\"timestamp\":1700000000000}")
// ==> 200 {"error_code":200,"cluster_id":"toykafka-lesson-9-kitA","topic_name":"orders","partition_id":1,"offset":0,"timestamp":"2023-11-14T22:13:20Z","key":{"type":"STRING","size":6},"value":{"type":"STRING","size":13}}

// A partition read names where to start: earliest, latest, an offset, or a time.
http.get("/topics/orders/partitions/1/records?offset=earliest")
// ==> 200 [{"topic":"orders","partition":1,"offset":0,"timestamp":1700000000000,"key":"till-1","value":"cod and chips","headers":[]}]

// A bad record is refused by name, with Kafka's error, and changes nothing. As in REST Proxy, a produce is
// answered 200 and each record's report says how it went: 40403 is REST Proxy's code for an unknown partition.
http.post("/v3/clusters/toykafka/topics/orders/records", "{\"partition_id\":5,\"value\":\"chips\"}")
// ==> 200 {"error_code":40403,"error":"UNKNOWN_TOPIC_OR_PARTITION","kafka_error_code":3,"retriable":true,"message":"topic 'orders' has no partition 5: its partitions are 0..2"}

// A consumer group over HTTP: make a member, subscribe it, read, commit. Alone in the group, the fryer
// owns all three partitions. Its format, fixed when it is made, is binary: keys and values come as base64.
http.post("/consumers/kitchen", "{\"name\":\"fryer\",\"format\":\"binary\",\"auto.offset.reset\":\"earliest\"}").status()
// ==> 200
http.post("/consumers/kitchen/instances/fryer/subscription", "{\"topics\":[\"orders\"]}").status()
// ==> 204
http.get("/consumers/kitchen/instances/fryer/records?timeout=0")
// ==> 200 [{"topic":"orders","key":"dGlsbC0x","value":"Y29kIGFuZCBjaGlwcw==","partition":1,"offset":0,"timestamp":1700000000000,"headers":[]}]
new String(java.util.Base64.getDecoder().decode("Y29kIGFuZCBjaGlwcw=="))
// ==> "cod and chips"
http.post("/consumers/kitchen/instances/fryer/offsets", "")
// ==> 200 {"offsets":[{"topic":"orders","partition":0,"offset":0},{"topic":"orders","partition":1,"offset":1},{"topic":"orders","partition":2,"offset":0}]}

// Predict: a second member asks for the name fryer. The REST Proxy answers a name that is taken with 409.
http.post("/consumers/kitchen", "{\"name\":\"fryer\"}")
// ==> 409 {"error_code":40902,"error":"UNRELEASED_INSTANCE_ID","kafka_error_code":111,"retriable":false,"message":"group 'kitchen' already has a consumer instance 'fryer': delete it first, or choose another name"}

// Each route is a call on the front end's consumer instances, which Java can make too.
front.consumerInstances().assignment("kitchen", "fryer")
// ==> [orders-0, orders-1, orders-2]

// Predict: the broker stops and starts again on the same directory. What is still there?
front.close();
broker.close();
broker = Broker.start(config)
// ==> Broker[__broker_stats, __consumer_offsets, orders]
front = HttpFrontEnd.start(broker, System.err)
// ==> HttpFrontEnd[listening on 127.0.0.1]
http = new Http(front.address())
// ==> Http[http://127.0.0.1]

// Consumer instances live in the HTTP front end's memory: the fryer is gone, and a new fryer may take the name.
http.get("/consumers/kitchen/instances/fryer/offsets").status()
// ==> 404
http.post("/consumers/kitchen", "{\"name\":\"fryer\"}").status()
// ==> 200
http.get("/consumers/kitchen/instances/fryer/offsets")
// ==> 200 {"offsets":[{"topic":"orders","partition":0,"offset":0,"metadata":""},{"topic":"orders","partition":1,"offset":1,"metadata":""},{"topic":"orders","partition":2,"offset":0,"metadata":""}]}

// The committed offsets came back because they are records in a topic: the broker replayed them. They are
// in Kafka's binary layout, not text, so they are read as base64. Beside the 3 commits are 2 records of the
// group itself: its generation with the old fryer, and the empty one it became when the restarted broker
// dropped that fryer, which had died with it.
http.get("/topics/__consumer_offsets/partitions/0/records?offset=earliest&format=binary").body().split("\\},\\{").length
// ==> 5

// The data directory: a directory per partition, the broker's own topics among them, the lock that
// keeps a second broker out, and meta.properties, which says which cluster and node the directory is of.
Files.list(dataDir).map(f -> f.getFileName().toString()).sorted().toList()
// ==> [.lock, __broker_stats-0, __consumer_offsets-0, meta.properties, orders-0, orders-1, orders-2]

// When you are done: close the front end and the broker, which frees their ports and the data directory.
// (jshell/start --run stops before these lines, so the broker is still there to experiment with.)
front.close();
broker.close();
