"""The procedure language: text → positions → shape → references → graph → frozen ``Procedure``.

Owns reading a procedure file, its model, its three validation layers and the catalogue of
``procedures/``. Must not import :mod:`engine.cases`, the stores or the façade: a procedure is
checked without any case existing.
"""
