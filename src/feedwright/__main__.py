from feedwright.cli import main

main()
