import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseInstant } from '../timestamps.ts';
import { normalizeWindowsEvent } from './windows-event.ts';
import { routingCategories, windowsLogsource, windowsServiceForChannel } from './windows-logsource.ts';

const sysmon1 = {
  Event: {
    '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '{5770385f}' } },
      EventID: 1,
      Level: 4,
      Task: 1,
      Opcode: 0,
      Keywords: '0x8000000000000000',
      TimeCreated: { '#attributes': { SystemTime: '2019-03-17 19:37:11.661928' } },
      EventRecordID: 6577,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'IEWIN7',
    },
    EventData: { Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c whoami', ProcessId: 2680 },
  },
};

describe('normalizeWindowsEvent', () => {
  it('flattens System and EventData into Sigma field names', () => {
    const e = normalizeWindowsEvent(sysmon1);
    assert.equal(e.source, 'windows');
    assert.equal(e.fields['EventID'], 1);
    assert.equal(e.fields['Channel'], 'Microsoft-Windows-Sysmon/Operational');
    assert.equal(e.fields['Provider_Name'], 'Microsoft-Windows-Sysmon');
    assert.equal(e.fields['Computer'], 'IEWIN7');
    assert.equal(e.fields['Image'], 'C:\\Windows\\System32\\cmd.exe');
    assert.equal(e.fields['EventRecordID'], 6577);
    assert.equal(e.fields['Keywords'], '0x8000000000000000');
    assert.deepEqual(e.logsource, { product: 'windows', service: 'sysmon', category: 'process_creation' });
  });

  it('parses SystemTime without offset as UTC', () => {
    assert.equal(normalizeWindowsEvent(sysmon1).ts, Date.UTC(2019, 2, 17, 19, 37, 11, 661));
  });

  it('reads EventID given as {#text} and flattens UserData', () => {
    const e = normalizeWindowsEvent({
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Eventlog' } },
          EventID: { '#attributes': { Qualifiers: '0' }, '#text': 104 },
          Channel: 'System',
          TimeCreated: { '#attributes': { SystemTime: '2019-03-19T23:34:25.894341Z' } },
        },
        UserData: {
          LogFileCleared: { '#attributes': { xmlns: 'x' }, SubjectUserName: 'user01', Channel: 'Other' },
        },
      },
    });
    assert.equal(e.fields['EventID'], 104);
    assert.equal(e.fields['SubjectUserName'], 'user01');
    assert.equal(e.fields['Channel'], 'System', 'System fields win over payload items');
    assert.equal(e.fields['xmlns'], undefined);
    assert.deepEqual(e.logsource, { product: 'windows', service: 'system' });
  });

  it('exposes Defender names with spaces also without spaces', () => {
    const e = normalizeWindowsEvent({
      Event: {
        System: { EventID: 1116, Channel: 'Microsoft-Windows-Windows Defender/Operational' },
        EventData: { 'Threat Name': 'Trojan:PowerShell/Powersploit.M', Path: 'file:_C:\\x.ps1' },
      },
    });
    assert.equal(e.fields['Signature'], 'Trojan:PowerShell/Powersploit.M', 'antivirus taxonomy alias');
    assert.equal(e.fields['Filename'], 'file:_C:\\x.ps1');
    assert.equal(e.fields['Threat Name'], 'Trojan:PowerShell/Powersploit.M');
    assert.equal(e.fields['ThreatName'], 'Trojan:PowerShell/Powersploit.M');
    assert.deepEqual(e.logsource, { product: 'windows', service: 'windefend', category: 'antivirus' });
  });

  it('flattens the named Data array form', () => {
    const e = normalizeWindowsEvent({
      Event: {
        System: { EventID: 4688, Channel: 'Security' },
        EventData: { Data: [{ '#attributes': { Name: 'NewProcessName' }, '#text': 'C:\\a.exe' }] },
      },
    });
    assert.equal(e.fields['NewProcessName'], 'C:\\a.exe');
  });

  it('rejects records without System', () => {
    assert.throws(() => normalizeWindowsEvent({ Event: {} }), TypeError);
    assert.throws(() => normalizeWindowsEvent(null), TypeError);
  });
});

describe('windows logsource table', () => {
  it('maps Sysmon EventIDs to categories', () => {
    const ch = 'Microsoft-Windows-Sysmon/Operational';
    assert.equal(windowsLogsource(ch, 3).category, 'network_connection');
    assert.equal(windowsLogsource(ch, 7).category, 'image_load');
    assert.equal(windowsLogsource(ch, 11).category, 'file_event');
    assert.equal(windowsLogsource(ch, 13).category, 'registry_set');
    assert.equal(windowsLogsource(ch, 22).category, 'dns_query');
    assert.deepEqual(routingCategories('registry_set'), ['registry_set', 'registry_event']);
    assert.deepEqual(windowsLogsource('Linux-Sysmon/Operational', 1), {
      product: 'linux',
      service: 'sysmon',
      category: 'process_creation',
    });
  });

  it('maps PowerShell channels by EventID', () => {
    assert.deepEqual(windowsLogsource('Microsoft-Windows-PowerShell/Operational', 4104), {
      product: 'windows',
      service: 'powershell',
      category: 'ps_script',
    });
    assert.equal(windowsLogsource('Windows PowerShell', 400).category, 'ps_classic_start');
    assert.equal(windowsLogsource('Security', 4624).category, undefined);
    assert.equal(windowsServiceForChannel('security'), 'security');
    assert.equal(windowsServiceForChannel(null), undefined);
  });
});

describe('Windows SystemTime parsing', () => {
  it('accepts ISO with offsets and long fractions', () => {
    assert.equal(parseInstant('2026-03-20T08:31:26.751156500Z'), Date.UTC(2026, 2, 20, 8, 31, 26, 751));
    assert.equal(parseInstant('2020-01-01T02:00:00+02:00'), Date.UTC(2020, 0, 1, 0, 0, 0));
    assert.equal(parseInstant('2020-01-01 00:00:00-0130'), Date.UTC(2020, 0, 1, 1, 30, 0));
    assert.equal(parseInstant('yesterday'), undefined);
  });
});
