"""SafeCheckpointHook: drop an old checkpoint only after the new one."""
from collections import deque

from mmaction.registry import HOOKS
from mmengine.dist import is_main_process
from mmengine.hooks import CheckpointHook


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """``CheckpointHook`` that never leaves a run without a checkpoint.

    With ``max_keep_ckpts=k`` mmengine deletes the oldest checkpoint
    *before* writing the new one, while ``last_checkpoint`` still names the
    previous file. With ``k=1`` a process killed during the save leaves no
    checkpoint at all, and ``--resume`` fails on the file that
    ``last_checkpoint`` names. Here the bookkeeping is the same (the saved
    message hub lists the new step, so resume keeps rotating correctly) but
    the old file is removed only once the new one is in place. The file
    itself is written atomically by ``AtomicLocalBackend``. Arguments are
    those of ``CheckpointHook``.
    """

    def _save_checkpoint_with_step(self, runner, step, meta):
        keep = self.max_keep_ckpts
        doomed = None
        if keep > 0:
            ids = list(self.keep_ckpt_ids)
            if not ids or ids[-1] != step:
                if len(ids) == keep:
                    doomed = ids.pop(0)
                ids.append(step)
                self.keep_ckpt_ids = deque(ids, keep)
                runner.message_hub.update_info('keep_ckpt_ids', ids)
        # With max_keep_ckpts <= 0 the parent only saves and points
        # last_checkpoint at the new file.
        self.max_keep_ckpts = -1
        try:
            super()._save_checkpoint_with_step(runner, step, meta)
        finally:
            self.max_keep_ckpts = keep
        if doomed is not None and is_main_process():
            path = self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(doomed))
            if self.file_backend.isfile(path):
                self.file_backend.remove(path)
            elif self.file_backend.isdir(path):  # deepspeed's folders
                self.file_backend.rmtree(path)
