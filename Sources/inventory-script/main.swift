import CCurl
import InventoryModel

// The inventory-script contract lands with its own issue; until then the executable says so.
let version = String(cString: curl_version())
FileDescriptor.standardError.write("inventory-script: not implemented yet (\(version))\n")
exit(2)
