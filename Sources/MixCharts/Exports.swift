@_exported import MixModel
@_exported import MixOptimize
