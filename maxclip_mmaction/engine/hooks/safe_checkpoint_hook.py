"""SafeCheckpointHook: drop an old checkpoint only after the new one."""
import os.path as osp
from collections import deque

from mmaction.registry import HOOKS
from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend, get_file_backend
from mmengine.hooks import CheckpointHook

from ..atomic_checkpoint import ATOMIC_BACKEND, atomic_write


@HOOKS.register_module()
class SafeCheckpointHook(CheckpointHook):
    """``CheckpointHook`` that never leaves a run without a checkpoint.

    mmengine removes files before writing their successors, so a process
    killed in between leaves nothing to fall back on:

    * with ``max_keep_ckpts=k`` it deletes the oldest checkpoint *before*
      writing the new one, while ``last_checkpoint`` still names the old
      file; with ``k=1`` a kill during the save leaves no checkpoint and
      ``--resume`` fails on the file ``last_checkpoint`` names;
    * with ``save_best`` it deletes the previous ``best_*.pth`` before
      writing the new best; a kill in between leaves no best file, and
      after resume the stored best score stops it being written again
      until a later epoch beats it.

    Here the bookkeeping is the same (the saved message hub lists the new
    step and best file, so resume keeps rotating correctly) but each old
    file is removed only once its successor is in place. Checkpoints in a
    local folder are written atomically through the
    ``'maxclip_atomic_local'`` backend (unless ``backend_args`` or
    ``file_client_args`` choose another) and ``last_checkpoint`` by
    ``atomic_write`` (mmengine truncates it, then writes). Arguments are
    those of ``CheckpointHook``.
    """

    def before_train(self, runner):
        out_dir = self.out_dir or runner.work_dir
        if (self.backend_args is None and self.file_client_args is None
                and type(get_file_backend(out_dir)) is LocalBackend):
            self.backend_args = dict(backend=ATOMIC_BACKEND)
        super().before_train(runner)

    def _save_checkpoint_with_step(self, runner, step, meta):
        # mmengine's version, reordered: rotate the ids, save, point
        # last_checkpoint at the new file, and only then delete.
        doomed = None
        if self.max_keep_ckpts > 0:
            ids = list(self.keep_ckpt_ids)
            if not ids or ids[-1] != step:
                if len(ids) == self.max_keep_ckpts:
                    doomed = ids.pop(0)
                ids.append(step)
                self.keep_ckpt_ids = deque(ids, self.max_keep_ckpts)
                runner.message_hub.update_info('keep_ckpt_ids', ids)
        ckpt_filename = self.filename_tmpl.format(step)
        self.last_ckpt = self.file_backend.join_path(self.out_dir,
                                                     ckpt_filename)
        runner.message_hub.update_info('last_ckpt', self.last_ckpt)
        runner.save_checkpoint(
            self.out_dir, ckpt_filename, self.file_client_args,
            save_optimizer=self.save_optimizer,
            save_param_scheduler=self.save_param_scheduler, meta=meta,
            by_epoch=self.by_epoch, backend_args=self.backend_args,
            **self.args)
        if not is_main_process():
            return
        atomic_write(self.last_ckpt,
                     osp.join(runner.work_dir, 'last_checkpoint'))
        if doomed is not None:
            self._remove(self.file_backend.join_path(
                self.out_dir, self.filename_tmpl.format(doomed)))

    def _save_best_checkpoint(self, runner, metrics):
        # Hide the current best paths so mmengine's version has nothing to
        # delete; it writes the new best and re-saves the step checkpoint
        # with the new best path in its message hub. Then the old best
        # goes. A kill at any point leaves a best file that exists.
        if not self.save_best:
            return
        keys = ['single'] if len(self.key_indicators) == 1 else list(
            self.key_indicators)
        old = {key: self._best_path(key) for key in keys}
        for key in keys:
            self._set_best_path(key, None)
        try:
            super()._save_best_checkpoint(runner, metrics)
        finally:
            for key in keys:
                if self._best_path(key) is None:  # not improved
                    self._set_best_path(key, old[key])
        if not is_main_process():
            return
        live = {self._best_path(key) for key in keys}
        for path in set(old.values()) - live - {None}:
            self._remove(path)
            runner.logger.info(
                f'The previous best checkpoint {path} is removed')

    def _best_path(self, key):
        if key == 'single':
            return self.best_ckpt_path
        return self.best_ckpt_path_dict.get(key)

    def _set_best_path(self, key, path):
        if key == 'single':
            self.best_ckpt_path = path
        else:
            self.best_ckpt_path_dict[key] = path

    def _remove(self, path):
        if self.file_backend.isfile(path):
            self.file_backend.remove(path)
        elif self.file_backend.isdir(path):  # deepspeed's folders
            self.file_backend.rmtree(path)
