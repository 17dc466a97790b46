"""tsad models in Python: load a tsad model bundle, verified as the Java loader verifies it, and score with the
same numbers as ``tsad score``.

MLflow loads it through the ``python_function`` flavor that tsad writes into every model's ``MLmodel``
(``loader_module: tsad_mlflow.pyfunc``); the package travels with the model in its ``code/`` directory.
"""

__all__ = ["bundle", "models", "scoring", "pyfunc"]
