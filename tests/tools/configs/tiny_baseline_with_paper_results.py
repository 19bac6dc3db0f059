# The quickstart baseline with a declared paper_results block (made-up numbers) for the
# reproduction-report tests.
_base_ = ['../../../configs/baseline/tiny_synthetic.py']
paper_results = dict(source='numbers made up for the tests',
                     protocol=dict(crop='none', crf=False, flip=False),
                     cluster=(50.0, 30.0), linear=(70.0, None))
