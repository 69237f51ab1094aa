"""How many bytes a video's container says it holds, read from its header.

A truncated AVI or WebM still opens, and decoders hand out the frames
before the cut without a word, so a clip sampled from a fraction of the
video passes as the whole. The container states its own length: the
RIFF chunk sizes of an AVI, the top-level box sizes of an MP4 / MOV, the
Segment size of a Matroska / WebM file. When that exceeds the file size,
the file is cut short. Written by hand because the only library answer,
opening the file with PyAV and comparing the declared frame count or
duration, runs FFmpeg's stream probing, which decodes frames and costs as
much as decord's own open (benchmarks/README.md, "Decoders"); these reads
touch a few bytes.
"""
import os
import struct
from typing import Optional, Tuple

# Top-level ISO BMFF boxes a file may start with.
_BMFF = {b'ftyp', b'moov', b'mdat', b'free', b'skip', b'wide', b'pnot'}
_EBML, _SEGMENT = 0x1A45DFA3, 0x18538067


def declared_size(path: str) -> Optional[Tuple[int, str]]:
    """``(bytes the container declares, container name)``, or None when
    the format is none of these or its header leaves the size open."""
    with open(path, 'rb') as f:
        head = f.read(12)
        if head[:4] == b'RIFF':
            return _chunks_end(f, _riff, _is_riff), 'RIFF (AVI)'
        if head[4:8] in _BMFF:
            return _chunks_end(f, _box, _is_box), 'ISO BMFF (MP4)'
        if head[:4] == _EBML.to_bytes(4, 'big'):
            end = _segment_end(f)
            return None if end is None else (end, 'Matroska (WebM)')
    return None


def _chunks_end(f, read_one, looks_like_chunk) -> Optional[int]:
    """Where the last top-level chunk ends (or None if one is open).

    Bytes after a chunk that do not start another chunk of the format
    (padding or junk some writers leave at the end) end the walk: they
    are not read as a size, so a whole file with a tail is never taken
    for a cut one.
    """
    size = os.fstat(f.fileno()).st_size
    pos = 0
    while pos < size:
        f.seek(pos)
        if pos and not looks_like_chunk(f.read(8)):
            break
        f.seek(pos)
        length = read_one(f, size - pos)
        if length is None:
            return None
        pos += length
    return pos


def _is_riff(head: bytes) -> bool:
    """Another top-level RIFF chunk (an OpenDML AVI's ``RIFF AVIX``)."""
    return head[:4] == b'RIFF'


def _is_box(head: bytes) -> bool:
    """Another top-level box: a size, then four printable type bytes."""
    return len(head) == 8 and all(0x20 <= c < 0x7f for c in head[4:])


def _riff(f, left: int) -> Optional[int]:
    """One RIFF chunk (``RIFF``/``AVIX`` lists of OpenDML AVIs too)."""
    head = f.read(8)
    if len(head) < 8:
        return left + 8  # a partial chunk header: cut inside it
    size = struct.unpack('<I', head[4:])[0]
    return 8 + size + (size & 1)


def _box(f, left: int) -> Optional[int]:
    """One MP4 box: 32-bit size, or 1 and a 64-bit size, or 0 (to EOF)."""
    head = f.read(8)
    if len(head) < 8:
        return left + 8
    size = struct.unpack('>I', head[:4])[0]
    if size == 1:
        large = f.read(8)
        if len(large) < 8:
            return left + 8
        size = struct.unpack('>Q', large)[0]
    if size == 0:
        return None  # the last box runs to the end of the file
    return max(size, 8)


def _vint(f, is_id: bool) -> Tuple[Optional[int], int]:
    """An EBML variable-length integer: (value, bytes read); value None
    for an unknown size (all data bits set)."""
    first = f.read(1)
    if not first:
        return None, 0
    lead = first[0]
    width = 1
    while width <= 8 and not lead & (0x80 >> (width - 1)):
        width += 1
    if width > 8:
        return None, 1
    rest = f.read(width - 1)
    raw = int.from_bytes(first + rest, 'big')
    if is_id:
        return raw, width
    value = raw & ((1 << (7 * width)) - 1)
    return (None if value == (1 << (7 * width)) - 1 else value), width


def _segment_end(f) -> Optional[int]:
    """End of the Segment after the EBML header, or None if open-ended."""
    f.seek(0)
    ident, n = _vint(f, True)
    size, m = _vint(f, False)
    if ident != _EBML or size is None:
        return None
    f.seek(n + m + size)
    ident, n2 = _vint(f, True)
    seg, m2 = _vint(f, False)
    if ident != _SEGMENT or seg is None:
        return None
    return n + m + size + n2 + m2 + seg
