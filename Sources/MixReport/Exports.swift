@_exported import MixWorkbook
