from koers.cli import main

main()
