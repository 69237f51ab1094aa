"""BaseNovelVideoDataset: base and novel videos in one evaluation pass."""
from typing import Callable, List, Optional, Sequence, Union

from mmaction.datasets import VideoDataset
from mmaction.registry import DATASETS
from mmaction.utils import ConfigType

from .class_names import load_class_names
from .robust import RobustDecodeMixin
from .video_list import (join_root, prefix_paths, read_video_list,
                         resolve_class_subset, select_classes)

_GROUP_KEYS = {
    'name', 'ann_file', 'class_names', 'class_subset', 'data_prefix',
    'check_class_count'
}


@DATASETS.register_module()
class BaseNovelVideoDataset(RobustDecodeMixin, VideoDataset):
    """Several class groups (base, novel) evaluated in one pass.

    Each group is its own list with labels indexed in its own class names,
    as in ViFi-CLIP's ``base_val.txt`` / ``novel_val.txt``. Here the labels
    are offset into the union of the groups' names (group order), so
    ``metainfo['classes']`` is the union, ``metainfo['class_groups']`` the
    group index of each class and ``metainfo['group_names']`` the group
    names. ``BaseNovelAccMetric`` then scores each video among its own
    group's classes only, which equals one evaluation per group.

    Args:
        groups (list[dict]): per group ``name``, ``ann_file``,
            ``class_names`` and optionally ``class_subset``,
            ``data_prefix`` (a str overriding the shared video prefix) and
            ``check_class_count``. Relative paths are joined to
            ``data_root`` when it is given.
        pipeline (list): data transforms.
        data_prefix (dict): ``dict(video=prefix)`` for every group.
            Defaults to ``dict(video='')``.
        test_mode (bool): Defaults to True (an evaluation set).
        allow_duplicates (bool): accept a video listed twice in a group's
            list (it would be scored twice). Defaults to False.
        **kwargs: other ``VideoDataset`` arguments.
    """

    def __init__(self,
                 groups: Sequence[dict],
                 pipeline: List[Union[dict, Callable]],
                 data_prefix: ConfigType = dict(video=''),
                 test_mode: bool = True,
                 allow_duplicates: bool = False,
                 **kwargs) -> None:
        if not groups:
            raise ValueError('BaseNovelVideoDataset needs at least one group')
        self.allow_duplicates = allow_duplicates
        root = kwargs.get('data_root')
        self.groups = [
            self._check_group(i, g, root) for i, g in enumerate(groups)
        ]
        group_names = [g['name'] for g in self.groups]
        for i, name in enumerate(group_names):
            if name in group_names[:i]:
                # metric keys are '<group>/top1': one would hide the other
                raise ValueError(f'groups[{i}]: group name {name!r} is '
                                 f'also groups[{group_names.index(name)}]\'s')
        names, class_groups = [], []
        for gi, group in enumerate(self.groups):
            names.extend(group['names'])
            class_groups.extend([gi] * len(group['names']))
        seen = {}
        for i, name in enumerate(names):
            if name in seen:
                raise ValueError(
                    f'class {name!r} is in group '
                    f'{self.groups[class_groups[seen[name]]]["name"]!r} and '
                    f'group {self.groups[class_groups[i]]["name"]!r}')
            seen[name] = i
        metainfo = dict(kwargs.pop('metainfo', None) or {})
        metainfo.update(
            classes=tuple(names),
            class_groups=tuple(class_groups),
            group_names=tuple(g['name'] for g in self.groups))
        super().__init__(
            '',
            pipeline,
            data_prefix=data_prefix,
            test_mode=test_mode,
            metainfo=metainfo,
            **kwargs)

    @staticmethod
    def _check_group(index: int, group: dict, root: Optional[str]) -> dict:
        """Validate one group config and read its class names."""
        if not isinstance(group, dict):
            raise TypeError(f'groups[{index}] must be a dict, got {group!r}')
        missing = {'name', 'ann_file', 'class_names'} - set(group)
        unknown = set(group) - _GROUP_KEYS
        if missing or unknown:
            raise ValueError(f'groups[{index}]: missing keys '
                             f'{sorted(missing)}, unknown keys '
                             f'{sorted(unknown)}')
        group = dict(group)
        for key in ('ann_file', 'class_names', 'class_subset'):
            group[key] = join_root(group.get(key), root)
        source = group['class_names']
        group['origin'] = source if isinstance(source, str) else \
            f'groups[{index}].class_names'
        group['all_names'] = load_class_names(source)
        subset = group.get('class_subset')
        group['ids'] = None if subset is None else \
            resolve_class_subset(subset, group['all_names'])
        group['names'] = group['all_names'] if group['ids'] is None else \
            [group['all_names'][i] for i in group['ids']]
        return group

    def load_data_list(self) -> List[dict]:
        """Read every group's list, offsetting labels into the union."""
        data_list, offset = [], 0
        for gi, group in enumerate(self.groups):
            items = read_video_list(group['ann_file'], len(group['all_names']),
                                    group['origin'], self.delimiter,
                                    group.get('check_class_count', True),
                                    self.test_mode, self.allow_duplicates)
            if group['ids'] is not None:
                items = select_classes(items, group['ids'],
                                       group['ann_file'])
            prefix = self.data_prefix['video'] if 'data_prefix' not in \
                group else join_root(group['data_prefix'], self.data_root)
            for item in prefix_paths(items, prefix):
                item['label'] += offset
                data_list.append(item)
            offset += len(group['names'])
        return data_list
