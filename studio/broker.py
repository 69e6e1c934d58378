"""The embedded broker: kombu's filesystem transport, made safe to poll quickly.

kombu's filesystem `_put` creates the message file and then writes into it, so a
consumer polling the folder can pick up the file while it is still empty, fail to parse
it and lose the message (celery/kombu#1551). Here each message is written under a name
the consumer ignores and renamed into place once complete; a rename within one folder
is atomic, so a consumer sees either no file or the whole message.
"""

from __future__ import annotations

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # A leading dot and a trailing suffix: never "<id>.<queue>.msg", so never read.
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class FilesystemTransport(filesystem.Transport):
    Channel = Channel
