"""A log filter that hides mmengine's start-up banners unless asked (``verbose``)."""
import logging

STARTUP_BANNERS = ('\n' + '-' * 60 + '\nSystem environment:', 'Config:\n',
                   'Hooks will be executed in the following order:')


class StartupBannerFilter(logging.Filter):
    """Drops the runner's environment report, ~250-line config dump and ~80-line hook table;
    every other record (loss, lr, ETA, metrics, warnings) passes."""

    def filter(self, record):
        return not (isinstance(record.msg, str) and record.msg.startswith(STARTUP_BANNERS))
