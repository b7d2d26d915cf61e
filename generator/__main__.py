from generator.cli.main import console

if __name__ == "__main__":  # spawned letter workers import this module without running the CLI
    console()
