"""OpenVocabVideoDataset: an MMAction2 video list that knows its names."""
from typing import Callable, List, Optional, Sequence, Union

from mmaction.datasets import VideoDataset
from mmaction.registry import DATASETS
from mmaction.utils import ConfigType

from .class_names import load_class_names
from .robust import RobustDecodeMixin
from .video_list import (check_shots, join_root, prefix_paths, read_video_list,
                         resolve_class_subset, sample_shots, select_classes)


@DATASETS.register_module()
class OpenVocabVideoDataset(RobustDecodeMixin, VideoDataset):
    """``VideoDataset`` with class names, class subsets and few-shot lists.

    Reads MMAction2's ``path label`` lists and ViFi-CLIP's split files (same
    shape). The cleaned class names (after subsetting) are
    ``metainfo['classes']``; ``ClassNamesHook`` hands them to the head.
    The list is checked when the dataset is built, so a bad label fails
    here with file, line and value instead of as a device-side assert.

    Args:
        ann_file (str): the video list.
        pipeline (list): data transforms.
        class_names (list | str): names, or a label file: MMAction2 label
            map (one name a line), ViFi-CLIP CSV (``id,name``) or the SSv2
            labels JSON (template -> id). A relative path is joined to
            ``data_root`` like ``ann_file``.
        data_prefix (dict): ``dict(video=prefix)`` joined to each path.
            Defaults to ``dict(video='')``.
        class_subset (list | str, optional): class names or ids (or a file
            of them) to keep; their videos are relabelled in subset order.
            Defaults to None (all classes).
        num_shots (int, optional): keep exactly this many videos per class
            (after subsetting). Defaults to None (all videos).
        shot_seed (int): seed of the few-shot draw. Defaults to 0.
        check_class_count (bool): raise when the labels never reach the
            last class name (see ``read_video_list``). Defaults to True.
        allow_duplicates (bool): accept a video listed twice in a test
            list (it would be scored twice); training lists only warn.
            Defaults to False.
        **kwargs: other ``VideoDataset`` arguments (``test_mode``,
            ``delimiter``, ``data_root``, ...).
    """

    def __init__(self,
                 ann_file: str,
                 pipeline: List[Union[dict, Callable]],
                 class_names: Union[str, Sequence[str]],
                 data_prefix: ConfigType = dict(video=''),
                 class_subset: Optional[Union[str, Sequence]] = None,
                 num_shots: Optional[int] = None,
                 shot_seed: int = 0,
                 check_class_count: bool = True,
                 allow_duplicates: bool = False,
                 **kwargs) -> None:
        if kwargs.get('multi_class'):
            raise ValueError('OpenVocabVideoDataset is single-label; '
                             'multi_class=True is not supported')
        class_names = join_root(class_names, kwargs.get('data_root'))
        class_subset = join_root(class_subset, kwargs.get('data_root'))
        self.names_origin = class_names if isinstance(class_names, str) \
            else 'class_names'
        self.all_class_names = load_class_names(class_names)
        self.class_ids = None if class_subset is None else \
            resolve_class_subset(class_subset, self.all_class_names)
        names = self.all_class_names if self.class_ids is None else \
            [self.all_class_names[i] for i in self.class_ids]
        if num_shots is not None:
            check_shots(num_shots, shot_seed)  # before any lazy_init
        self.num_shots = num_shots
        self.shot_seed = shot_seed
        self.check_class_count = check_class_count
        self.allow_duplicates = allow_duplicates
        metainfo = dict(kwargs.pop('metainfo', None) or {})
        metainfo['classes'] = tuple(names)
        super().__init__(
            ann_file,
            pipeline,
            data_prefix=data_prefix,
            metainfo=metainfo,
            **kwargs)

    def load_data_list(self) -> List[dict]:
        """Parse, check, subset and few-shot sample the video list."""
        data_list = read_video_list(self.ann_file, len(self.all_class_names),
                                    self.names_origin, self.delimiter,
                                    self.check_class_count, self.test_mode,
                                    self.allow_duplicates)
        if self.class_ids is not None:
            data_list = select_classes(data_list, self.class_ids,
                                       self.ann_file)
        if self.num_shots is not None:
            data_list = sample_shots(data_list, self.num_shots, self.shot_seed,
                                     list(self.metainfo['classes']),
                                     self.ann_file)
        return prefix_paths(data_list, self.data_prefix['video'])
