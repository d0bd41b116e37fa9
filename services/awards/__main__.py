from services.awards.bootstrap import build_app, runtime
from shared.ops.serve import components_arg, serve

serve(runtime(components=components_arg(None, "awards")), build_app)
