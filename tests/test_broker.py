"""The embedded broker never hands a consumer a half-written message."""

import threading

from kombu import Connection

COUNT = 300
PADDING = "x" * 200_000  # large messages widen the window a half-written file is visible


def _connection(folder, transport):
    options = {
        "data_folder_in": str(folder / "messages"),
        "data_folder_out": str(folder / "messages"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
        "polling_interval": 0.001,
    }
    return Connection("filesystem://", transport=transport, transport_options=options)


def _produce(folder, transport):
    with _connection(folder, transport) as conn:
        queue = conn.SimpleQueue("jobs")
        for i in range(COUNT):
            queue.put({"i": i, "padding": PADDING})
        queue.close()


def _consume_all(folder, transport) -> list[int]:
    producer = threading.Thread(target=_produce, args=(folder, transport))
    received = []
    with _connection(folder, transport) as conn:
        queue = conn.SimpleQueue("jobs")
        producer.start()
        while len(received) < COUNT:
            message = queue.get(timeout=30)
            received.append(message.payload["i"])
            message.ack()
        queue.close()
    producer.join()
    return received


def test_messages_written_while_the_consumer_polls_arrive_whole(tmp_path):
    (tmp_path / "messages").mkdir()
    (tmp_path / "control").mkdir()
    assert sorted(_consume_all(tmp_path, "studio.broker:FilesystemTransport")) == list(range(COUNT))
    assert not list((tmp_path / "messages").iterdir())  # no partial files left behind
