import pathlib
pathlib.Path("{outside}/ran").touch()
