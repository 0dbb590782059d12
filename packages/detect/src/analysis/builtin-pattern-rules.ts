/**
 * Pattern rules every installation has, before an organization adds its own.
 * Kept small and high-signal: each one names what it found in its description.
 */
export const BUILTIN_PATTERN_RULES = String.raw`
rule EICAR_Test_File : test {
  meta:
    description = "EICAR anti-malware test file"
    severity = "high"
  strings:
    $eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
  condition:
    $eicar
}

rule UPX_Packed : packer {
  meta:
    description = "executable packed with UPX"
    severity = "medium"
  strings:
    $upx0 = "UPX0"
    $upx1 = "UPX1"
    $upx_sig = "UPX!"
  condition:
    (uint16(0) == 0x5A4D or uint32(0) == 0x464C457F) and 2 of them
}

rule Process_Injection_Imports : injection {
  meta:
    description = "imports the classic remote-thread injection trio"
    severity = "high"
  strings:
    $a = "VirtualAllocEx"
    $b = "WriteProcessMemory"
    $c = "CreateRemoteThread"
  condition:
    uint16(0) == 0x5A4D and all of them
}

rule PowerShell_Download_Cradle : script {
  meta:
    description = "PowerShell downloads and runs code"
    severity = "high"
  strings:
    $dl1 = "DownloadString" nocase wide ascii
    $dl2 = "DownloadFile" nocase wide ascii
    $dl3 = "Invoke-WebRequest" nocase wide ascii
    $run1 = "IEX" nocase wide ascii
    $run2 = "Invoke-Expression" nocase wide ascii
    $run3 = "Start-Process" nocase wide ascii
  condition:
    1 of ($dl*) and 1 of ($run*)
}

rule Ransomware_Shadow_Copy_Deletion : ransomware {
  meta:
    description = "deletes shadow copies or disables recovery"
    severity = "critical"
  strings:
    $vss = "vssadmin delete shadows" nocase wide ascii
    $wmic = "shadowcopy delete" nocase wide ascii
    $bcd = "recoveryenabled no" nocase wide ascii
  condition:
    any of them
}

rule Linux_Reverse_Shell : backdoor {
  meta:
    description = "opens a reverse shell"
    severity = "high"
  strings:
    $tcp = "/dev/tcp/"
    $sh1 = "/bin/sh -i"
    $sh2 = "bash -i"
    $nc = "nc -e /bin/"
  condition:
    ($tcp and 1 of ($sh*)) or $nc
}
`;
