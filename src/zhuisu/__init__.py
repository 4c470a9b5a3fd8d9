"""zhuisu (追溯): the important-products traceability platform, speaking GS1 EPCIS 2.0 / CBV 2.0 inside."""

__version__ = "0.1.0"
