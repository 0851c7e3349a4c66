"""Print the version of Tornado that this Python imports."""

import tornado

print(tornado.version)
