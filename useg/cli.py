"""The ``useg`` console command: ``useg <command> [arguments]`` (``useg --help`` lists them).

Each command runs ``main(argv)`` of ``useg.tools.<module>`` (``tools/<module>.py`` in a checkout
is a thin wrapper of the same ``main``). A config argument may be a path or the name of a
config shipped with the package (``useg train primaps/dinov2_vitb14_cs``).
"""
import importlib
import sys
from importlib import metadata

# command -> (module under useg.tools, whether its first argument is a
# config the tool itself does not resolve, one-line help)
COMMANDS = {
    'make-synthetic-data': ('make_synthetic_dataset', False,
                            'write the generated dataset the tiny configs train on'),
    'train': ('train', True, 'train a config'),
    'test': ('test', True, 'evaluate a checkpoint (Acc / mIoU, --show-dir overlays and plots)'),
    'infer': ('infer', True, 'segment your images with a trained checkpoint'),
    'precompute': ('precompute', False, 'run the precompute steps a config declares (pseudo labels, KNN, a plugin\'s)'),
    'precompute-pseudo-labels': ('precompute_pseudo_labels', True, 'alias of precompute CONFIG --steps pseudo_labels'),
    'precompute-knn': ('precompute_knn', True, 'alias of precompute CONFIG --steps knn'),
    'print-config': ('print_config', False, 'print a config fully resolved (_base_ chain, variables, options)'),
    'extract-features': ('extract_features', True, 'cache a config\'s frozen backbone features'),
    'kmeans-baseline': ('kmeans_baseline', True, 'k-means on a config\'s own features: the number to beat'),
    'convert-weights': ('convert_weights', False, 'convert pickled / official weight files once'),
    'convert-checkpoint': ('convert_checkpoint', False,
                           "a paper's released checkpoint -> a useg checkpoint (whole model)"),
    'crop-dataset': ('crop_dataset', False, 'five-crop a dataset split (STEGO / PriMaPs protocol)'),
    'reproduce': ('reproduce', False, 'configs x seeds -> report (mean ± std vs paper)'),
    'analyze-logs': ('analyze_logs', False, 'plot loss and metric curves of work dirs'),
    'demo': ('demo', False, 'local web page: drop images, see the overlay (pip install useg[demo])'),
}


def load_tool(name):
    """The module ``useg.tools.<name>`` (its ``main(argv)`` runs the command)."""
    return importlib.import_module(f'useg.tools.{name}')


def installed_plugins():
    """``[(entry-point name, module, distribution version)]`` of ``useg.plugins`` (not imported)."""
    plugins = []
    for entry_point in metadata.entry_points(group='useg.plugins'):
        version = entry_point.dist.version if entry_point.dist is not None else '?'
        plugins.append((entry_point.name, entry_point.value, version))
    return sorted(plugins)


def usage():
    width = max(map(len, COMMANDS))
    lines = ['usage: useg <command> [arguments]   (useg <command> --help for its arguments)', '',
             'commands:']
    lines += [f'  {name:<{width}}  {text}' for name, (_, _, text) in COMMANDS.items()]
    plugins = installed_plugins()
    lines += ['', 'installed plugins (entry points "useg.plugins"):']
    lines += [f'  {name:<{width}}  {module} {version}' for name, module, version in plugins] or \
        ['  (none)']
    lines += ['', 'A CONFIG may be a file or a shipped config name, e.g. primaps/dinov2_vitb14_cs.']
    return '\n'.join(lines)


def main(argv=None):
    """Entry point of the ``useg`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ('-h', '--help', 'help'):
        print(usage())
        return 0
    if argv[0] == '--version':
        print(f'useg {metadata.version("useg")}')
        return 0
    command, args = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f'error: unknown command {command!r}\n\n{usage()}', file=sys.stderr)
        return 2
    from useg.utils import run_cli
    from useg.utils.errors import take_tool_flags
    from useg.tools.config_paths import resolve_config_path
    module_name, resolve_first, _ = COMMANDS[command]

    def run():
        take_tool_flags(args)  # --debug / --threads N: every command accepts them
        if resolve_first and args and not args[0].startswith('-'):
            args[0] = resolve_config_path(args[0])
        sys.argv[0] = f'useg {command}'  # argparse's prog in usage and errors
        return load_tool(module_name).main(args)

    run_cli(run)
    return 0


if __name__ == '__main__':
    sys.exit(main())
