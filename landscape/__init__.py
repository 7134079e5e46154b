"""Support package for the interactive textbook *Loss Landscapes*.

>>> from landscape import Landscape, classify, zoo, optim
"""
from . import nets, optim, zoo
from .core import Landscape, TaylorModel, grid
from .critical import CriticalPoint, classify, index

__all__ = ["Landscape", "TaylorModel", "CriticalPoint", "classify", "index", "grid", "zoo", "optim", "nets"]
__version__ = "0.1.0"
