from services.reporting.bootstrap import build_app, runtime
from shared.ops.serve import components_arg, serve

serve(runtime(components=components_arg(None, "reporting")), build_app)
