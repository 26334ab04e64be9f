from tests.web.conftest import demo, demo_module  # noqa: F401  (the demo data set, once per module)
