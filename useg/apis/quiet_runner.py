"""mmengine's Runner without its start-up banners unless asked (``verbose``)."""
import logging

from mmengine.runner import Runner

STARTUP_BANNERS = ('\n' + '-' * 60 + '\nSystem environment:', 'Config:\n',
                   'Hooks will be executed in the following order:')


class StartupBannerFilter(logging.Filter):
    """Drops the runner's environment report, ~250-line config dump and ~80-line hook table;
    every other record (loss, lr, ETA, metrics, warnings) passes."""

    def filter(self, record):
        return not (isinstance(record.msg, str) and record.msg.startswith(STARTUP_BANNERS))


class QuietRunner(Runner):
    """:class:`mmengine.runner.Runner` that logs its start-up banners only when the config sets
    ``verbose=True`` (the tools' ``--verbose``)."""

    def build_logger(self, log_level='INFO', log_file=None, **kwargs):
        logger = super().build_logger(log_level=log_level, log_file=log_file, **kwargs)
        if not self.cfg.get('verbose', False) and not any(
                isinstance(item, StartupBannerFilter) for item in logger.filters):
            logger.addFilter(StartupBannerFilter())
        return logger
