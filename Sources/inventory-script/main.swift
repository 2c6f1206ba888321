import InventoryScriptKit

#if canImport(Glibc)
    import Glibc
#endif

// A reader that goes away (`inventory-script --list | head`) must not kill the script with
// SIGPIPE before it can say so: the write fails with EPIPE and the exit status says it.
signal(SIGPIPE, SIG_IGN)
exit(InventoryScriptMain.run(arguments: CommandLine.arguments, environment: SystemIO.environment()))
