"""Read class names from every label format the benchmarks ship.

- a Python list/tuple of names;
- an MMAction2 label map: one name per line (``label_map_k400.txt``);
- a ViFi-CLIP label CSV: header ``id,name``, names possibly quoted;
- the official SSv2 labels JSON: ``{"Pushing [something] ...": "12"}``.

Names are cleaned for prompting (SSv2 ``[something]`` -> ``something``,
``_`` -> space, runs of spaces collapsed).
"""
import codecs
import csv
import io
import json
import os.path as osp
import re
from typing import List, Sequence, Tuple, Union

_BRACKETS = re.compile(r'\[([^\]]*)\]')
_INT = re.compile(r'-?[0-9]+')
_ID_NAME = re.compile(r'[0-9]+ +\S')


def is_int(text: str) -> bool:
    """ASCII integer text. ``str.isdigit`` also accepts characters such as
    ``'²'`` that ``int()`` then rejects with no file or line named."""
    return _INT.fullmatch(text.strip()) is not None


def read_text(path: str) -> str:
    """The file as text (UTF-8, an optional byte-order mark dropped).

    A bare ``UnicodeDecodeError`` names neither file nor line; this error
    names both, the column and the offending bytes.

    Raises:
        ValueError: the file is not UTF-8.
    """
    with open(path, 'rb') as f:
        data = f.read()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode('utf-8')
    except UnicodeDecodeError as e:
        start = data.rfind(b'\n', 0, e.start) + 1
        end = data.find(b'\n', e.start)
        line = data[start:end if end >= 0 else len(data)].rstrip(b'\r')
        lineno = data.count(b'\n', 0, e.start) + 1
        raise ValueError(
            f'{path}:{lineno}: not UTF-8: bytes {data[e.start:e.end]!r} at '
            f'column {e.start - start + 1} (line {line!r}); save the file '
            f'as UTF-8') from None


def text_lines(path: str) -> List[str]:
    """The lines of ``read_text(path)``, split as ``open`` splits them
    (``\n``, ``\r\n`` or ``\r``), each with its end of line."""
    return io.StringIO(read_text(path), newline=None).readlines()


def read_json(path: str):
    """``json.load`` whose error names the file (and line, column)."""
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as e:
        raise ValueError(f'{path}:{e.lineno}:{e.colno}: not valid JSON '
                         f'({e.msg})') from None


def clean_class_name(name: str) -> str:
    """Make a label read like words: ``[something]`` -> ``something``."""
    name = _BRACKETS.sub(r'\1', name).replace('_', ' ')
    return ' '.join(name.split())


def _read_csv(path: str) -> List[Tuple[str, str]]:
    rows = list(csv.reader(io.StringIO(read_text(path), newline='')))
    if not rows:
        raise ValueError(f'{path}: empty label CSV')
    header = [h.strip().lower() for h in rows[0]]
    if header[:2] != ['id', 'name']:
        raise ValueError(f"{path}:1: expected header 'id,name', got "
                         f'{rows[0]!r}')
    names = {}
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or not ''.join(row).strip():
            continue
        if len(row) < 2 or not is_int(row[0]):
            raise ValueError(f'{path}:{lineno}: expected "id,name", got '
                             f'{",".join(row)!r}')
        idx = int(row[0])
        if idx in names:
            raise ValueError(f'{path}:{lineno}: duplicate id {idx}')
        names[idx] = (','.join(row[1:]).strip(), f'{path}:{lineno}')
    if sorted(names) != list(range(len(names))):
        raise ValueError(f'{path}: ids must be 0..{len(names) - 1} with no '
                         f'gaps, got {sorted(names)[:10]}...')
    return [names[i] for i in range(len(names))]


def _read_json(path: str) -> List[Tuple[str, str]]:
    table = read_json(path)
    if not isinstance(table, dict):
        raise ValueError(f'{path}: expected a JSON object template -> id')
    by_id = {}
    for name, idx in table.items():
        if not is_int(str(idx)):
            raise ValueError(f'{path}: class {name!r} has id {idx!r}, '
                             f'not an integer')
        if int(idx) in by_id:
            raise ValueError(f'{path}: id {idx} used by {by_id[int(idx)]!r}'
                             f' and {name!r}')
        by_id[int(idx)] = name
    if sorted(by_id) != list(range(len(by_id))):
        raise ValueError(f'{path}: ids must be 0..{len(by_id) - 1}')
    # json.load keeps no line numbers: name the key
    return [(by_id[i], f'{path}: key {by_id[i]!r}') for i in range(len(by_id))]


def _read_lines(path: str) -> List[Tuple[str, str]]:
    lines = [line.strip() for line in text_lines(path)]
    while lines and not lines[-1]:
        lines.pop()
    for lineno, line in enumerate(lines, start=1):
        if not line:
            raise ValueError(f'{path}:{lineno}: empty class name')
    if lines and all(_ID_NAME.match(line) for line in lines):
        # UCF101's classInd.txt: 'id name' would become the prompt '1 x'
        raise ValueError(
            f'{path}: every line starts with an integer and a space '
            f'(line 1: {lines[0]!r}), like UCF101\'s classInd.txt; a label '
            f'map here is one name a line, in label order. Drop the ids '
            f'(tools/data/build_ucf101_annotations.py writes such a file) '
            f'or pass the names as a list.')
    return [(line, f'{path}:{lineno}')
            for lineno, line in enumerate(lines, start=1)]


def load_class_names(source: Union[str, Sequence[str]],
                     clean: bool = True) -> List[str]:
    """Return the class names in ``source`` (a list or a label file).

    Raises:
        FileNotFoundError: the file does not exist.
        ValueError: an empty list, a malformed line, or a duplicate name,
            naming the file, line and value.
    """
    if isinstance(source, str):
        if not osp.isfile(source):
            raise FileNotFoundError(f'class-name file not found: {source}')
        ext = osp.splitext(source)[1].lower()
        reader = {'.csv': _read_csv, '.json': _read_json}.get(ext, _read_lines)
        located, origin = reader(source), source
    elif isinstance(source, (list, tuple)):
        origin = 'class_names'
        located = [(str(n), f'class_names[{i}]') for i, n in enumerate(source)]
    else:
        raise TypeError(f'class names must be a list or a file path, got '
                        f'{type(source).__name__}')
    names = [n for n, _ in located]
    if clean:
        names = [clean_class_name(n) for n in names]
    if not names:
        raise ValueError(f'{origin}: no class names')
    seen = {}
    for i, name in enumerate(names):
        where = located[i][1]
        if not name:
            raise ValueError(f'{where}: class {i} has an empty name '
                             f'(as written {located[i][0]!r})')
        if name in seen:
            first = seen[name]
            raise ValueError(
                f'{where}: duplicate class name {name!r}, also at '
                f'{located[first][1]} (classes {first} and {i}; as written '
                f'{located[first][0]!r} and {located[i][0]!r})')
        seen[name] = i
    return names
