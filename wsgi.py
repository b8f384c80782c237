from boostcamp import create_app

app = create_app()
