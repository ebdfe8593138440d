"""A librdkafka transactional producer (Debian's python3-confluent-kafka) against one broker.

Prints one line a step, which the Java test reads:
  committed <n> / aborted <n>      a transaction across the topic's partitions
  forwarded <n> offsets <group>    a consume-transform-produce transaction with the group's offsets in it
  fenced <error name>              what the first producer is told once a second takes its transactional id
"""
import sys
from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition

bootstrap, topic, partitions, source, group = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
TIMEOUT = 120  # seconds: a bound for a loopback broker on a busy machine, not a figure


def producer(transactional_id):
    made = Producer({"bootstrap.servers": bootstrap, "transactional.id": transactional_id,
                     "transaction.timeout.ms": 60000})
    made.init_transactions(TIMEOUT)
    return made


def transaction(till, prefix, count, commit):
    till.begin_transaction()
    for i in range(count):
        till.produce(topic, value=f"{prefix}-{i}", partition=i % partitions)
    if commit:
        till.commit_transaction(TIMEOUT)
        print(f"committed {count}", flush=True)
    else:
        till.flush(TIMEOUT)
        till.abort_transaction(TIMEOUT)
        print(f"aborted {count}", flush=True)


till = producer("till")
transaction(till, "paid", 6, commit=True)
transaction(till, "void", 3, commit=False)
transaction(till, "paid-again", 3, commit=True)

# Consume, transform, produce: the records read and the group's new offsets commit as one transaction.
kitchen = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False,
                    "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
kitchen.subscribe([source])
orders = []
while len(orders) < 3:
    message = kitchen.poll(1.0)
    if message is not None and message.error() is None:
        orders.append(message)
till.begin_transaction()
for order in orders:
    till.produce(topic, value="cooked-" + order.value().decode(), partition=0)
positions = [TopicPartition(source, order.partition(), order.offset() + 1) for order in orders]
till.send_offsets_to_transaction(positions, kitchen.consumer_group_metadata(), TIMEOUT)
till.commit_transaction(TIMEOUT)
print(f"forwarded {len(orders)} offsets {group}", flush=True)
kitchen.close()

# A second producer with the same transactional id fences the first: its next transaction fails for good.
zombie = till
successor = producer("till")
try:
    zombie.begin_transaction()
    zombie.produce(topic, value="from-a-zombie", partition=0)
    zombie.commit_transaction(TIMEOUT)
    print("zombie committed", flush=True)
except KafkaException as refused:
    error = refused.args[0]
    print(f"fenced {error.name()} fatal={error.fatal()}", flush=True)
transaction(successor, "successor", 2, commit=True)
