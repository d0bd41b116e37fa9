from services.registration.bootstrap import build_app, runtime
from shared.ops.serve import components_arg, serve

serve(runtime(components=components_arg(None, "registration")), build_app)
