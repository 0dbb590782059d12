/**
 * Windows event shape → Sigma logsource, kept as data.
 *
 * The reference is the mapping SigmaHQ's own tooling uses: pySigma's sysmon pipeline
 * (Sysmon EventID → generic category), pySigma's windows pipeline (service → event log
 * channel, PowerShell categories by channel + EventID). Both the Windows normalizer and the
 * detection engine's router read these tables, so they live below both, in schema.
 */
import type { Logsource } from '../event-model.ts';

/** Sysmon channel name; events from it are `service: sysmon` plus a category by EventID. */
export const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
/** Sysmon for Linux writes the same event shape to this channel; its events are `product: linux`. */
export const LINUX_SYSMON_CHANNEL = 'Linux-Sysmon/Operational';

/**
 * Sysmon EventID → Sigma categories. The first is the event's primary category; the others are
 * categories whose rules also apply (pySigma maps EventID 12 to registry_add, registry_delete and
 * registry_event, 13 to registry_set and registry_event, …).
 */
export const SYSMON_EVENT_CATEGORIES: Readonly<Record<number, readonly string[]>> = {
  1: ['process_creation'],
  2: ['file_change'],
  3: ['network_connection'],
  4: ['sysmon_status'],
  5: ['process_termination'],
  6: ['driver_load'],
  7: ['image_load'],
  8: ['create_remote_thread'],
  9: ['raw_access_thread'],
  10: ['process_access'],
  11: ['file_event'],
  12: ['registry_add', 'registry_delete', 'registry_event'],
  13: ['registry_set', 'registry_event'],
  14: ['registry_rename', 'registry_event'],
  15: ['create_stream_hash'],
  16: ['sysmon_status'],
  17: ['pipe_created'],
  18: ['pipe_created'],
  19: ['wmi_event'],
  20: ['wmi_event'],
  21: ['wmi_event'],
  22: ['dns_query'],
  23: ['file_delete'],
  24: ['clipboard_capture'],
  25: ['process_tampering'],
  26: ['file_delete'],
  27: ['file_block_executable'],
  28: ['file_block_shredding'],
  29: ['file_executable_detected'],
  255: ['sysmon_error'],
};

/**
 * Categories that also receive an event of a given primary category. Derived from
 * SYSMON_EVENT_CATEGORIES so an event carrying only its primary category (as NormalizedEvent does)
 * still reaches registry_event rules.
 */
export const LOGSOURCE_CATEGORY_ALSO: Readonly<Record<string, readonly string[]>> = buildCategoryAlso();

function buildCategoryAlso(): Record<string, readonly string[]> {
  const out: Record<string, string[]> = {};
  for (const cats of Object.values(SYSMON_EVENT_CATEGORIES)) {
    const [primary, ...rest] = cats;
    if (primary === undefined) continue;
    const list = out[primary] ?? [];
    for (const c of rest) if (!list.includes(c)) list.push(c);
    out[primary] = list;
  }
  return out;
}

/** Every category a logsource with this primary category belongs to, primary first. */
export function routingCategories(category: string | undefined): readonly string[] {
  if (category === undefined) return [];
  const also = LOGSOURCE_CATEGORY_ALSO[category];
  return also && also.length > 0 ? [category, ...also] : [category];
}

/** Sigma `service` → Windows event log channel(s) (pySigma windows pipeline). */
export const WINDOWS_SERVICE_CHANNELS: Readonly<Record<string, readonly string[]>> = {
  security: ['Security'],
  application: ['Application'],
  system: ['System'],
  sysmon: [SYSMON_CHANNEL],
  powershell: ['Microsoft-Windows-PowerShell/Operational', 'PowerShellCore/Operational'],
  'powershell-classic': ['Windows PowerShell'],
  taskscheduler: ['Microsoft-Windows-TaskScheduler/Operational'],
  wmi: ['Microsoft-Windows-WMI-Activity/Operational'],
  'dns-server': ['DNS Server'],
  'dns-server-audit': ['Microsoft-Windows-DNS-Server/Audit'],
  'dns-server-analytic': ['Microsoft-Windows-DNS-Server/Analytical'],
  'dns-client': [
    'Microsoft-Windows-DNS Client Events/Operational',
    'Microsoft-Windows-DNS-Client/Operational',
  ],
  'driver-framework': ['Microsoft-Windows-DriverFrameworks-UserMode/Operational'],
  ntlm: ['Microsoft-Windows-NTLM/Operational'],
  dhcp: ['Microsoft-Windows-DHCP-Server/Operational'],
  'msexchange-management': ['MSExchange Management'],
  applocker: [
    'Microsoft-Windows-AppLocker/MSI and Script',
    'Microsoft-Windows-AppLocker/EXE and DLL',
    'Microsoft-Windows-AppLocker/Packaged app-Deployment',
    'Microsoft-Windows-AppLocker/Packaged app-Execution',
  ],
  'printservice-admin': ['Microsoft-Windows-PrintService/Admin'],
  'printservice-operational': ['Microsoft-Windows-PrintService/Operational'],
  'codeintegrity-operational': ['Microsoft-Windows-CodeIntegrity/Operational'],
  'smbclient-security': ['Microsoft-Windows-SmbClient/Security'],
  'smbclient-connectivity': ['Microsoft-Windows-SmbClient/Connectivity'],
  'firewall-as': ['Microsoft-Windows-Windows Firewall With Advanced Security/Firewall'],
  'bits-client': ['Microsoft-Windows-Bits-Client/Operational'],
  windefend: ['Microsoft-Windows-Windows Defender/Operational'],
  'terminalservices-localsessionmanager': [
    'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  ],
  'microsoft-servicebus-client': ['Microsoft-ServiceBus-Client'],
  ldap_debug: ['Microsoft-Windows-LDAP-Client/Debug'],
  'security-mitigations': [
    'Microsoft-Windows-Security-Mitigations/Kernel Mode',
    'Microsoft-Windows-Security-Mitigations/User Mode',
  ],
  'diagnosis-scripted': ['Microsoft-Windows-Diagnosis-Scripted/Operational'],
  'shell-core': ['Microsoft-Windows-Shell-Core/Operational'],
  openssh: ['OpenSSH/Operational'],
  bitlocker: ['Microsoft-Windows-BitLocker/BitLocker Management'],
  vhdmp: ['Microsoft-Windows-VHDMP-Operational'],
  'appxdeployment-server': ['Microsoft-Windows-AppXDeploymentServer/Operational'],
  'lsa-server': ['Microsoft-Windows-LSA/Operational'],
  'appxpackaging-om': ['Microsoft-Windows-AppxPackaging/Operational'],
  capi2: ['Microsoft-Windows-CAPI2/Operational'],
  'certificateservicesclient-lifecycle-system': [
    'Microsoft-Windows-CertificateServicesClient-Lifecycle-System/Operational',
  ],
  'kernel-shimengine': [
    'Microsoft-Windows-Kernel-ShimEngine/Operational',
    'Microsoft-Windows-Kernel-ShimEngine/Diagnostic',
  ],
  'iis-configuration': ['Microsoft-IIS-Configuration/Operational'],
  'hyper-v-worker': ['Microsoft-Windows-Hyper-V-Worker'],
  ntfs: ['Microsoft-Windows-Ntfs/Operational'],
  'terminalservices-remoteconnectionmanager': [
    'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  ],
  rdpcorets: ['Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational'],
  winrm: ['Microsoft-Windows-WinRM/Operational'],
};

/** Categories that live in one channel and are told apart by EventID (pySigma windows pipeline). */
export const WINDOWS_CHANNEL_EVENT_CATEGORIES: Readonly<Record<string, Readonly<Record<number, string>>>> = {
  'microsoft-windows-powershell/operational': { 4103: 'ps_module', 4104: 'ps_script' },
  'powershellcore/operational': { 4103: 'ps_module', 4104: 'ps_script' },
  'windows powershell': {
    400: 'ps_classic_start',
    600: 'ps_classic_provider_start',
    800: 'ps_classic_script',
  },
  // Sigma's generic `antivirus` category: Defender's "malware detected" family of events.
  'microsoft-windows-windows defender/operational': {
    1006: 'antivirus',
    1015: 'antivirus',
    1116: 'antivirus',
  },
};

const CHANNEL_TO_SERVICE: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [service, channels] of Object.entries(WINDOWS_SERVICE_CHANNELS)) {
    for (const ch of channels) {
      const key = ch.toLowerCase();
      // First service listed for a channel wins (e.g. `sysmon` rather than its alias).
      if (!m.has(key)) m.set(key, service);
    }
  }
  return m;
})();

/** The Sigma service name of a Windows channel, if the channel is known. */
export function windowsServiceForChannel(channel: string | undefined | null): string | undefined {
  if (typeof channel !== 'string') return undefined;
  return CHANNEL_TO_SERVICE.get(channel.toLowerCase());
}

/**
 * Sigma logsource of a Windows event from its channel and EventID: product `windows`,
 * `service` by channel, and `category` for Sysmon / PowerShell / Defender events. Sysmon for
 * Linux events (same record shape) become `product: linux`.
 */
export function windowsLogsource(channel: string | undefined | null, eventId: number | undefined): Logsource {
  if (typeof channel === 'string' && channel.toLowerCase() === LINUX_SYSMON_CHANNEL.toLowerCase()) {
    const ls: Logsource = { product: 'linux', service: 'sysmon' };
    const cat = eventId === undefined ? undefined : SYSMON_EVENT_CATEGORIES[eventId]?.[0];
    if (cat !== undefined) ls.category = cat;
    return ls;
  }
  const ls: Logsource = { product: 'windows' };
  const service = windowsServiceForChannel(channel);
  if (service !== undefined) ls.service = service;
  if (eventId === undefined || typeof channel !== 'string') return ls;
  const lower = channel.toLowerCase();
  if (service === 'sysmon') {
    const cats = SYSMON_EVENT_CATEGORIES[eventId];
    if (cats?.[0] !== undefined) ls.category = cats[0];
    return ls;
  }
  const byEvent = WINDOWS_CHANNEL_EVENT_CATEGORIES[lower];
  const category = byEvent?.[eventId];
  if (category !== undefined) ls.category = category;
  return ls;
}

/**
 * Generic Sigma taxonomy fields exposed as aliases of a channel's own field names, by service.
 * Defender events carry the `antivirus` category, whose rules use `Signature` and `Filename`.
 */
export const WINDOWS_FIELD_ALIASES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  windefend: { Signature: 'Threat Name', Filename: 'Path' },
};
