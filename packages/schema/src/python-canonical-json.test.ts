import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import {
  checkSec44Signature,
  compareCodePoints,
  PythonJsonError,
  parsePythonJson,
  pythonAsciiString,
  pythonCanonicalJson,
  pythonFloatRepr,
  signatureEquals,
  signSec44Body,
  signSec44Canonical,
  verifySec44Signature,
} from './python-canonical-json.ts';

/** Computed with CPython 3.11.7 on this machine: json.dumps(json.loads(raw), sort_keys=True, separators=(',', ':'), ensure_ascii=True) and hmac.new(KEY.encode(), canonical.encode(), sha256). */
const KEY = 'org-api-key-\u00e9-0123456789';
const VECTORS: Record<string, { raw: string; canonical: string; signature: string }> = {
  floats: {
    raw: '{"a":1.0,"b":1e16,"c":0.1,"d":1e-7,"e":1E5,"f":1.50,"g":-0.0,"h":1e15,"i":0.0001,"j":0.00001,"k":123456789.125,"l":2.5e-5,"m":1.7976931348623157e308,"n":5e-324,"o":1e400,"p":-1e400,"q":1e-400,"r":0.30000000000000004,"s":9007199254740993.0,"t":1e22,"u":1e21,"v":100.0e-2,"w":-2.0E+3}',
    canonical:
      '{"a":1.0,"b":1e+16,"c":0.1,"d":1e-07,"e":100000.0,"f":1.5,"g":-0.0,"h":1000000000000000.0,"i":0.0001,"j":1e-05,"k":123456789.125,"l":2.5e-05,"m":1.7976931348623157e+308,"n":5e-324,"o":Infinity,"p":-Infinity,"q":0.0,"r":0.30000000000000004,"s":9007199254740992.0,"t":1e+22,"u":1e+21,"v":1.0,"w":-2000.0}',
    signature: '0005c5f6cac925fe722fad9157859cbcfc453180e30f7b85347de3e28801f491',
  },
  ints: {
    raw: '{"small":0,"neg":-0,"minus":-17,"big":123456789012345678901234567890,"negbig":-98765432109876543210987654321098765432109876543210,"max53":9007199254740993}',
    canonical:
      '{"big":123456789012345678901234567890,"max53":9007199254740993,"minus":-17,"neg":0,"negbig":-98765432109876543210987654321098765432109876543210,"small":0}',
    signature: 'd88f67b2f58e2b564f6ce818ad33f76e361ccc3ae5909b211ed21b261e4035b5',
  },
  non_ascii: {
    raw: '{"name":"Jos\u00e9 \u65e5\u672c \ud83d\ude00","del":"\u007f","ctl":"\\u0001\\u001f","esc":"q\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f","ffff":"\uffff","lone":"\\ud800x\\udc00"}',
    canonical:
      '{"ctl":"\\u0001\\u001f","del":"\\u007f","esc":"q\\"b\\\\s/n\\nr\\rt\\tb\\bf\\f","ffff":"\\uffff","lone":"\\ud800x\\udc00","name":"Jos\\u00e9 \\u65e5\\u672c \\ud83d\\ude00"}',
    signature: 'ae2578ef43c50badb44071eb3850a941782a9b91a641264f875e2cd04c109f4d',
  },
  astral_keys: {
    raw: '{"\ufffd":1,"\ud800\udc00":2,"\uffff":3,"\ue000":4,"\ud7ff":5,"a":6,"\ud83d\ude00":7,"B":8,"\u00e9":9}',
    canonical:
      '{"B":8,"a":6,"\\u00e9":9,"\\ud7ff":5,"\\ue000":4,"\\ufffd":1,"\\uffff":3,"\\ud800\\udc00":2,"\\ud83d\\ude00":7}',
    signature: 'b2e87f2f4bc337ae14051aa124f82aa9dd669ac368cbae2d980c02be56394b88',
  },
  permuted: {
    raw: '{"z":1,"a":{"y":[3,2,1],"b":{"d":1,"c":2}},"m":[{"k2":1,"k1":2}],"A":"upper","_":null,"10":true,"9":false}',
    canonical:
      '{"10":true,"9":false,"A":"upper","_":null,"a":{"b":{"c":2,"d":1},"y":[3,2,1]},"m":[{"k1":2,"k2":1}],"z":1}',
    signature: 'e0f58992d770b2f2dc3e521e05008e50327401e95304801a2ef9924e27251258',
  },
  nested_arrays: {
    raw: '[[1,[2,[3.0,[4e0,[]]]]],{},[{}],[[],[[]]],"x",null,true,false]',
    canonical: '[[1,[2,[3.0,[4.0,[]]]]],{},[{}],[[],[[]]],"x",null,true,false]',
    signature: '9dc2dfbbf50af0a5819236ef63cdb3341c4e9478c4b75aff00ad0df2ec4d9444',
  },
  pretty: {
    raw: '{\n  "org_id" : "acme",\n\t"events" : [ { "ts" : "2025-01-01T00:00:00Z" , "n" : 1.0 } ] ,\r\n  "nonce": "0123456789abcdef"\n}\n',
    canonical:
      '{"events":[{"n":1.0,"ts":"2025-01-01T00:00:00Z"}],"nonce":"0123456789abcdef","org_id":"acme"}',
    signature: 'e772b5514b3ff2e22c59995ee4df308c1a6deff4b4fb527a8d1c7fe512182d04',
  },
  nan_inf: {
    raw: '{"nan":NaN,"inf":Infinity,"ninf":-Infinity,"arr":[NaN,-Infinity,1.0]}',
    canonical: '{"arr":[NaN,-Infinity,1.0],"inf":Infinity,"nan":NaN,"ninf":-Infinity}',
    signature: '9055b211f9c43d7662eefc69b5bbbd531bf7019956d9d6204597a4387554a10a',
  },
  duplicates: {
    raw: '{"a":1,"b":2,"a":3,"b":{"x":1,"x":2.0}}',
    canonical: '{"a":3,"b":{"x":2.0}}',
    signature: '50e1442c18acd94bb05ae85f78df062a0aa17c5ae4fa04a4744279ffb804cad6',
  },
  unicode_escapes_upper: {
    raw: '{"k":"\\u00E9\\uD83D\\uDE00\\u00e9"}',
    canonical: '{"k":"\\u00e9\\ud83d\\ude00\\u00e9"}',
    signature: 'ec93804d3b84dfa478a5f2b8716904935cd890204725b7a72d009fc8ab7a7b5d',
  },
  empty_obj: {
    raw: '{}',
    canonical: '{}',
    signature: '6419c20007ee9b3cf4dea14febef19a36e5a98d73db9d4d75a2d39d70a3c236a',
  },
  empty_list: {
    raw: '[]',
    canonical: '[]',
    signature: 'cea6f464bce26a1f2cb9c1095a438c0c7aac75b166e6f6586c7baff7f280d1a4',
  },
  sec44_batch: {
    raw: '{\n  "org_id": "acme",\n  "device_id": "dev-1",\n  "agent_version": "0.2.0",\n  "sent_at": "2026-02-15T10:00:00.123456+00:00",\n  "nonce": "00112233445566778899aabbccddeeff",\n  "events": [\n    {\n      "ts": "2026-02-15T09:59:58+00:00",\n      "source": "process",\n      "severity": "INFO",\n      "platform": "macos",\n      "title": "process_seen",\n      "details_json": {\n        "process_name": "Safari",\n        "pid": 412,\n        "exe": "/Applications/Safari.app/Contents/MacOS/Safari",\n        "username": "bob",\n        "cpu": 1.0,\n        "ratio": 0.25\n      }\n    },\n    {\n      "ts": "2026-02-15T09:59:59+00:00",\n      "source": "auth",\n      "severity": "WARN",\n      "platform": "macos",\n      "title": "macos_failed_login",\n      "details_json": {\n        "event_type": "failed_login",\n        "username": "b\u00e9b",\n        "message": "Authentication failed for \u65e5\u672c"\n      }\n    }\n  ]\n}',
    canonical:
      '{"agent_version":"0.2.0","device_id":"dev-1","events":[{"details_json":{"cpu":1.0,"exe":"/Applications/Safari.app/Contents/MacOS/Safari","pid":412,"process_name":"Safari","ratio":0.25,"username":"bob"},"platform":"macos","severity":"INFO","source":"process","title":"process_seen","ts":"2026-02-15T09:59:58+00:00"},{"details_json":{"event_type":"failed_login","message":"Authentication failed for \\u65e5\\u672c","username":"b\\u00e9b"},"platform":"macos","severity":"WARN","source":"auth","title":"macos_failed_login","ts":"2026-02-15T09:59:59+00:00"}],"nonce":"00112233445566778899aabbccddeeff","org_id":"acme","sent_at":"2026-02-15T10:00:00.123456+00:00"}',
    signature: '49974e2c3a70bc746dd37eb39ddd133bf844efc697fb2e098a894a2eede7741d',
  },
};

/** `lexeme canonical` pairs, one per line: Python's json.loads then json.dumps of a lone number. */
const FLOAT_VECTORS = `
-1.989032661366619e+244 -1.989032661366619e+244
7.761117632285041e+178 7.761117632285041e+178
3.980498358697587e-249 3.980498358697587e-249
-1.5432835417340557e+88 -1.5432835417340557e+88
1.3647584518757569e-192 1.3647584518757569e-192
-1.3701135617873088e-206 -1.3701135617873088e-206
-1.7160537630466207e+197 -1.7160537630466207e+197
6.2946752411953861e-44 6.294675241195386e-44
1.0613447212142254e-202 1.0613447212142254e-202
4.7083251603875462e+207 4.708325160387546e+207
6.3870161585135632e-12 6.387016158513563e-12
-9.9731303785687331e-246 -9.973130378568733e-246
8.7797532256802712e-236 8.779753225680271e-236
-5.7955032484989932e-228 -5.795503248498993e-228
-5.9881801593860111e+243 -5.988180159386011e+243
-1.3060523885277959e-147 -1.306052388527796e-147
-2.4361176994848409e-206 -2.436117699484841e-206
2.2333869991501741e-232 2.233386999150174e-232
-3.5152797062666699e-203 -3.51527970626667e-203
1.5987381841032883e-247 1.5987381841032883e-247
4.6678633181812096e-36 4.6678633181812096e-36
-8.4418727921054556e-239 -8.441872792105456e-239
1.9015657400796622e-144 1.9015657400796622e-144
7.370437700706684e+208 7.370437700706684e+208
-1.7163996725272777e-258 -1.7163996725272777e-258
-3.2367190832119987e-221 -3.2367190832119987e-221
-2.2818334634712625e-234 -2.2818334634712625e-234
-3.0536383926309363e-84 -3.0536383926309363e-84
1.3449551894627777e-181 1.3449551894627777e-181
-7.3174959760626057e-221 -7.317495976062606e-221
5.2498223088143036e-77 5.249822308814304e-77
1.5450754142984396e-188 1.5450754142984396e-188
-3.9536256982247919e-47 -3.953625698224792e-47
-2.7249126747649799e-229 -2.72491267476498e-229
-6.5051418615487723e-162 -6.505141861548772e-162
1.4414848395559941e+304 1.441484839555994e+304
-1.4583679262758548e-269 -1.4583679262758548e-269
-7.9394166688077208e+33 -7.939416668807721e+33
1.4255183989699612e+266 1.4255183989699612e+266
-1.5253157012324029e+214 -1.525315701232403e+214
7.750545741548908e+137 7.750545741548908e+137
0.024301399287089676 0.024301399287089676
5.3269600817830169e-87 5.326960081783017e-87
-1.2570882301712172e+37 -1.2570882301712172e+37
9.9526840090024479e-208 9.952684009002448e-208
1.8721667527122837e+62 1.8721667527122837e+62
3.4229783989470719e+302 3.422978398947072e+302
3.6967297937384553e+115 3.6967297937384553e+115
3.1132849561694472e+245 3.113284956169447e+245
-2.6202582260546103e-174 -2.6202582260546103e-174
2.0745096302730225e-218 2.0745096302730225e-218
-5.877500503097409e-294 -5.877500503097409e-294
2.9383455973541661e-105 2.938345597354166e-105
6.5295986747658322e+113 6.529598674765832e+113
-1.9837344250050814e+226 -1.9837344250050814e+226
1.0743030475716402e+212 1.0743030475716402e+212
-5.629271400715247e+261 -5.629271400715247e+261
5.7433106149184849e-213 5.743310614918485e-213
-4.6151547070255599e-237 -4.61515470702556e-237
-3.302201168194502e+48 -3.302201168194502e+48
-3.8373366379117136e+84 -3.8373366379117136e+84
2.7444240984593666e+111 2.7444240984593666e+111
7.0372547696645247e+123 7.037254769664525e+123
3.0282415270685036e+304 3.0282415270685036e+304
-1.3427313830183207e+58 -1.3427313830183207e+58
7.1453650522518077e-224 7.145365052251808e-224
3.0010119427191346e-193 3.0010119427191346e-193
8.08174890787967e+24 8.08174890787967e+24
-1.029599445714058e-65 -1.029599445714058e-65
1.6356324386913733e-228 1.6356324386913733e-228
-1.210084267904234e-23 -1.210084267904234e-23
6.5122058598344157e+73 6.512205859834416e+73
-1.5063173670565552e-212 -1.5063173670565552e-212
-3.4680683343609559e-85 -3.468068334360956e-85
3.5862982565236525e+241 3.5862982565236525e+241
-1.500880737539812e-41 -1.500880737539812e-41
-1.9881605394901064e+169 -1.9881605394901064e+169
8.6089299807627358e+119 8.608929980762736e+119
-2.412056419517317e+235 -2.412056419517317e+235
2.1970596639627999e+130 2.1970596639628e+130
-6.8648296141500026e-172 -6.864829614150003e-172
6.2496465711118593e+300 6.249646571111859e+300
1.3070380624806793e-39 1.3070380624806793e-39
3.0170681842882087e+46 3.0170681842882087e+46
-9.4957010010874352e-15 -9.495701001087435e-15
4.7507502047509849e+182 4.750750204750985e+182
-1.0267710304426359e+206 -1.0267710304426359e+206
1.8559166032057722e+304 1.8559166032057722e+304
1.6032007377980954e-103 1.6032007377980954e-103
1.9751801151887592e+187 1.9751801151887592e+187
4.2746428041772148e+34 4.274642804177215e+34
7.7653871385137949e-140 7.765387138513795e-140
8.193439767873551e+222 8.193439767873551e+222
-9.7215654460842523e-247 -9.721565446084252e-247
-3.6566096214330605e-54 -3.6566096214330605e-54
-7.8294957456817992e+291 -7.829495745681799e+291
-2.3614991605223492e-83 -2.361499160522349e-83
1.4481396684332679e+161 1.448139668433268e+161
3.8321725482165366e-24 3.8321725482165366e-24
2.3738290563139491e-206 2.373829056313949e-206
4.1586747791282524e-122 4.1586747791282524e-122
-3.337733639824717e-113 -3.337733639824717e-113
8.8327905439827136e-294 8.832790543982714e-294
-2.0284108606212458e+100 -2.0284108606212458e+100
7.7271785554382585e-84 7.7271785554382585e-84
4.8681216785982848e+39 4.868121678598285e+39
4.8776212517061182e-129 4.877621251706118e-129
-5.2243626508318762e-266 -5.224362650831876e-266
-2.8977267740353203e-173 -2.8977267740353203e-173
8.0305060980922437e+84 8.030506098092244e+84
6.045556425707975e-154 6.045556425707975e-154
-9.3848401234979093e+134 -9.38484012349791e+134
-1.5624204901097633e+247 -1.5624204901097633e+247
-1.3820816268679183e-117 -1.3820816268679183e-117
-5.2674604096931422e-13 -5.267460409693142e-13
1.3257208647146701e+255 1.3257208647146701e+255
-3.1343387564175544e+149 -3.1343387564175544e+149
-1.7236642596087033e+249 -1.7236642596087033e+249
-5.2621550823053697e-86 -5.26215508230537e-86
-1.3972441246414233e-235 -1.3972441246414233e-235
7.9309409049828853e+182 7.930940904982885e+182
1.0662269838816983e+178 1.0662269838816983e+178
6.2691236220776179e+285 6.269123622077618e+285
6.5974322046350677e+185 6.597432204635068e+185
1.2286657182299287e-73 1.2286657182299287e-73
-4.6718988207962918e+289 -4.671898820796292e+289
2.2990284766219708e+235 2.2990284766219708e+235
4.0960622500000236e-173 4.0960622500000236e-173
-1.8578815093690756e-184 -1.8578815093690756e-184
2.028598735161868e-182 2.028598735161868e-182
-2.6098858497543247e-226 -2.6098858497543247e-226
-1.5800543282391385e-263 -1.5800543282391385e-263
-4.1385804681105951e+245 -4.138580468110595e+245
-1.979700384530873e-168 -1.979700384530873e-168
5.6026243687848435e-222 5.602624368784844e-222
2.9637577225244357e-52 2.9637577225244357e-52
8.8853783260576584e+155 8.885378326057658e+155
-6.321104805376388e-143 -6.321104805376388e-143
-4.6835242680021668e+253 -4.683524268002167e+253
-1.4576712926495294e-182 -1.4576712926495294e-182
4.9829854420184921e+276 4.982985442018492e+276
2.0186880235336049e-166 2.018688023533605e-166
7.19616430630608e+293 7.19616430630608e+293
-1.6888652122551737e+281 -1.6888652122551737e+281
2.5254629938390568e+284 2.5254629938390568e+284
3.8996039709969242e+76 3.899603970996924e+76
5.8844986864652625e-131 5.884498686465263e-131
-0.83219390019779949 -0.8321939001977995
-2.6895800563014877e-12 -2.6895800563014877e-12
1.6676168338224431e+282 1.667616833822443e+282
0.541416E22 5.41416e+21
9.0 9.0
55662.4391 55662.4391
71483342.0 71483342.0
823.06099 823.06099
-26832538.0e25 -2.6832538e+32
207924674.0 207924674.0
-874.65445126E10 -8746544512600.0
0.90394733801765422885E-2 0.009039473380176542
6.366e+25 6.366e+25
-821.0e-5 -0.00821
3.611E-4 0.0003611
24910621831891640.043e25 2.491062183189164e+41
-8.628e0 -8.628
215247407.1E1 2152474071.0
5063667829.71E-4 506366.782971
26956568117385.22 26956568117385.22
2.2590e-1 0.2259
-800476098774750.00 -800476098774750.0
286494.449398967445e-14 2.8649444939896743e-09
45.4 45.4
-99833058.203276964E-30 -9.983305820327696e-23
29196083627946.707e+14 2.919608362794671e+27
5.7490645E28 5.7490645e+28
-27.5491997061 -27.5491997061
652.6e22 6.526e+24
4887178605547.1976E23 4.8871786055471974e+35
6250916.9850 6250916.985
-4257942368902740.9 -4257942368902741.0
1.4063280e8 140632800.0
-363996.15912067E-10 -3.6399615912067e-05
-0.89e+30 -8.9e+29
82.1e8 8210000000.0
-3818484120092.83 -3818484120092.83
5664.0 5664.0
0.274618E-9 2.74618e-10
4864736.0e+11 4.864736e+17
-0.39674065e-15 -3.9674065e-16
7412001426148.12 7412001426148.12
8916.224599215 8916.224599215
98277132964.0 98277132964.0
-60.051725655E+5 -6005172.5655
8902911168.778 8902911168.778
44.89260859E8 4489260859.0
-452.99335220E11 -45299335220000.0
1022900.8397e16 1.0229008397e+22
-0.271e+0 -0.271
-11339078.0 -11339078.0
509925439326602.75702e26 5.099254393266028e+40
6186068294663131.4e-18 0.006186068294663131
0.11420816E12 114208160000.0
0.723766199355174997 0.7237661993551749
5970547.3363580 5970547.336358
-77.130422422208130 -77.13042242220813
422952.1724907453E+27 4.229521724907453e+32
-1395.607524811845E-18 -1.395607524811845e-15
-87513569.03389924 -87513569.03389923
-8214.366 -8214.366
863.754285875382 863.754285875382
4201018.062E26 4.201018062e+32
-302481635843.688e18 -3.02481635843688e+29
-1911040269324801.6e-11 -19110.402693248016
44737.8371016195E-14 4.47378371016195e-10
54.550e+0 54.55
-5.5143560985 -5.5143560985
5.0E+27 5e+27
-472126064538.0e+3 -472126064538000.0
6395.82432E24 6.39582432e+27
408401682716.5 408401682716.5
23.4545520693622610E+19 2.345455206936226e+20
-20855290.92E+10 -2.085529092e+17
7935.30108e+15 7.93530108e+18
2942566887.977e-28 2.942566887977e-19
5222573855.04609086 5222573855.046091
-7.1800e+17 -7.18e+17
-4943.3106 -4943.3106
7.0e+8 700000000.0
6.4E21 6.4e+21
1553.540 1553.54
0.955532779210755E-24 9.55532779210755e-25
3.219034284342E+7 32190342.84342
20.720317e-22 2.0720317e-21
6.20932377004059e18 6.20932377004059e+18
-4133626415.0E-24 -4.133626415e-15
-3.08e-0 -3.08
8574.361269 8574.361269
63794253.0e30 6.3794253e+37
-237.549136E8 -23754913600.0
521.06221803276E-13 5.2106221803276e-11
116814862590.0e15 1.1681486259e+26
8329370.35E30 8.32937035e+36
349838107963841.41885e-4 34983810796.38414
-0.28 -0.28
0.91E-28 9.1e-29
1.301e-29 1.301e-29
351083648659.278 351083648659.278
0.122673582878584e+13 1226735828785.84
-9.194E+2 -919.4
67142244301820.82E-28 6.714224430182082e-15
-572263.4923423e8 -57226349234230.0
-92.1E-1 -9.21
-3832.9267725e26 -3.8329267725e+29
69628325.16009891 69628325.16009891
-6.5083E-24 -6.5083e-24
43996.546e-6 0.043996546
259.321e+17 2.59321e+19
-0.447275 -0.447275
-0.214E7 -2140000.0
-264.512751165938 -264.512751165938
-6086.87288E14 -6.08687288e+17
31.608814e+2 3160.8814
68091944.0e-14 6.8091944e-07
-7.4 -7.4
-4.20949376926779 -4.20949376926779
25.0 25.0
-3.82E-30 -3.82e-30
-483295.09888045567115E1 -4832950.988804556
410.55589 410.55589
-52.328499928261 -52.328499928261
64.0E25 6.4e+26
-73692661095600819.4e+22 -7.369266109560083e+38
716319.3455 716319.3455
6588839784183.616472E-6 6588839.784183617
76.36477092089e+18 7.636477092089e+19
1830.11876726320e-25 1.8301187672632e-22
-58.7 -58.7
17731040.1932e12 1.77310401932e+19
-50.60265 -50.60265
961511384467.008e-25 9.61511384467008e-14
70636.045617111266604e+30 7.063604561711127e+34
21.66206302369e28 2.166206302369e+29
8.6E-27 8.6e-27
7082.520728E+21 7.082520728e+24
0.25762594408620085E+7 2576259.4408620084
70447.566554701524792 70447.56655470152
13.2e+16 1.32e+17
-0.6E-16 -6e-17
5445.5743865555250e-23 5.445574386555525e-20
3.174 3.174
-719464.0 -719464.0
-8315.50527891E+4 -83155052.7891
-4276604189.125702e12 -4.276604189125702e+21
-72980.0794 -72980.0794
12356480.9E+17 1.23564809e+24
4130.0 4130.0
-41345.3970719E+24 -4.13453970719e+28
0.23723797E+20 2.3723797e+19
-0.5767352633753737702 -0.5767352633753737
-61513933.75e15 -6.151393375e+22
0.3E+3 300.0
1e-8 1e-08
1.5e-8 1.5e-08
-9.875e-8 -9.875e-08
1e-7 1e-07
1.5e-7 1.5e-07
-9.875e-7 -9.875e-07
1e-6 1e-06
1.5e-6 1.5e-06
-9.875e-6 -9.875e-06
1e-5 1e-05
1.5e-5 1.5e-05
-9.875e-5 -9.875e-05
1e-4 0.0001
1.5e-4 0.00015
-9.875e-4 -0.0009875
1e-3 0.001
1.5e-3 0.0015
-9.875e-3 -0.009875
1e-2 0.01
1.5e-2 0.015
-9.875e-2 -0.09875
1e-1 0.1
1.5e-1 0.15
-9.875e-1 -0.9875
1e0 1.0
1.5e0 1.5
-9.875e0 -9.875
1e1 10.0
1.5e1 15.0
-9.875e1 -98.75
1e2 100.0
1.5e2 150.0
-9.875e2 -987.5
1e3 1000.0
1.5e3 1500.0
-9.875e3 -9875.0
1e4 10000.0
1.5e4 15000.0
-9.875e4 -98750.0
1e5 100000.0
1.5e5 150000.0
-9.875e5 -987500.0
1e6 1000000.0
1.5e6 1500000.0
-9.875e6 -9875000.0
1e7 10000000.0
1.5e7 15000000.0
-9.875e7 -98750000.0
1e8 100000000.0
1.5e8 150000000.0
-9.875e8 -987500000.0
1e9 1000000000.0
1.5e9 1500000000.0
-9.875e9 -9875000000.0
1e10 10000000000.0
1.5e10 15000000000.0
-9.875e10 -98750000000.0
1e11 100000000000.0
1.5e11 150000000000.0
-9.875e11 -987500000000.0
1e12 1000000000000.0
1.5e12 1500000000000.0
-9.875e12 -9875000000000.0
1e13 10000000000000.0
1.5e13 15000000000000.0
-9.875e13 -98750000000000.0
1e14 100000000000000.0
1.5e14 150000000000000.0
-9.875e14 -987500000000000.0
1e15 1000000000000000.0
1.5e15 1500000000000000.0
-9.875e15 -9875000000000000.0
1e16 1e+16
1.5e16 1.5e+16
-9.875e16 -9.875e+16
1e17 1e+17
1.5e17 1.5e+17
-9.875e17 -9.875e+17
1e18 1e+18
1.5e18 1.5e+18
-9.875e18 -9.875e+18
1e19 1e+19
1.5e19 1.5e+19
-9.875e19 -9.875e+19
1e20 1e+20
1.5e20 1.5e+20
-9.875e20 -9.875e+20
1e21 1e+21
1.5e21 1.5e+21
-9.875e21 -9.875e+21
1e22 1e+22
1.5e22 1.5e+22
-9.875e22 -9.875e+22
1e23 1e+23
1.5e23 1.5e+23
-9.875e23 -9.875e+23
`;

test('canonical text and signature match CPython on fixed vectors', () => {
  for (const [name, v] of Object.entries(VECTORS)) {
    assert.equal(pythonCanonicalJson(v.raw), v.canonical, name);
    assert.equal(pythonCanonicalJson(Buffer.from(v.raw, 'utf8')), v.canonical, `${name} (bytes)`);
    assert.equal(signSec44Body(KEY, v.raw), v.signature, name);
    assert.equal(signSec44Body(KEY, new TextEncoder().encode(v.raw)), v.signature, `${name} (bytes)`);
    assert.equal(signSec44Canonical(KEY, v.canonical), v.signature, name);
    assert.ok(verifySec44Signature(KEY, v.raw, v.signature), name);
    const check = checkSec44Signature(KEY, v.raw, v.signature);
    assert.ok(check.ok, name);
    assert.equal(check.canonical, v.canonical);
  }
});

test('the signature is the HMAC of the canonical UTF-8 bytes (independent computation)', () => {
  const v = VECTORS.sec44_batch!;
  const expected = createHmac('sha256', Buffer.from(KEY, 'utf8'))
    .update(Buffer.from(v.canonical, 'utf8'))
    .digest('hex');
  assert.equal(expected, v.signature);
  // The canonical text is pure ASCII, so its UTF-8 bytes are its characters.
  assert.match(v.canonical, /^[\x20-\x7e]*$/);
});

test('floats follow Python repr (CPython vectors)', () => {
  const lines = FLOAT_VECTORS.trim().split('\n');
  assert.ok(lines.length > 300);
  for (const line of lines) {
    const [lexeme, expected] = line.split(' ');
    assert.equal(pythonCanonicalJson(lexeme!), expected, lexeme);
    assert.equal(pythonCanonicalJson(`[${lexeme}]`), `[${expected}]`, lexeme);
  }
});

test('pythonFloatRepr layout rules', () => {
  assert.equal(pythonFloatRepr(1), '1.0');
  assert.equal(pythonFloatRepr(1e16), '1e+16');
  assert.equal(pythonFloatRepr(1e15), '1000000000000000.0');
  assert.equal(pythonFloatRepr(1.5e16), '1.5e+16');
  assert.equal(pythonFloatRepr(1e-5), '1e-05');
  assert.equal(pythonFloatRepr(1e-4), '0.0001');
  assert.equal(pythonFloatRepr(1.25e-4), '0.000125');
  assert.equal(pythonFloatRepr(-0), '-0.0');
  assert.equal(pythonFloatRepr(0), '0.0');
  assert.equal(pythonFloatRepr(1e100), '1e+100');
  assert.equal(pythonFloatRepr(123.456), '123.456');
  assert.equal(pythonFloatRepr(Number.NaN), 'NaN');
  assert.equal(pythonFloatRepr(Number.NEGATIVE_INFINITY), '-Infinity');
  assert.equal(pythonFloatRepr(5e-324), '5e-324');
});

test('integers stay exact at any size, -0 becomes 0, more than 4300 digits is rejected', () => {
  const big = `1${'0'.repeat(4299)}`;
  assert.equal(pythonCanonicalJson(`[${big}]`), `[${big}]`);
  assert.equal(pythonCanonicalJson(`[-${big}]`), `[-${big}]`);
  assert.throws(() => pythonCanonicalJson(`[${big}0]`), PythonJsonError);
  assert.equal(pythonCanonicalJson('[-0]'), '[0]');
  assert.equal(pythonCanonicalJson('[-0.0]'), '[-0.0]');
  assert.equal(pythonCanonicalJson('[9007199254740993]'), '[9007199254740993]');
});

test('values: NaN/Infinity, duplicates (last wins), __proto__ keys, container flag', () => {
  const r = parsePythonJson('{"a":NaN,"b":[Infinity,-Infinity],"a":1.0,"__proto__":{"x":1}}');
  const value = r.value as Record<string, unknown>;
  assert.equal(value.a, 1);
  assert.deepEqual(value.b, [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  assert.ok(Object.hasOwn(value, '__proto__'));
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.equal(r.canonical, '{"__proto__":{"x":1},"a":1.0,"b":[Infinity,-Infinity]}');
  assert.equal(r.container, true);
  assert.equal(parsePythonJson(' [1] ').container, true);
  assert.equal(parsePythonJson('"x"').container, false);
  assert.equal(parsePythonJson('3').canonical, '3');
  // With NaN/Infinity the value is built by our parser (JSON.parse cannot); same shape otherwise.
  assert.deepEqual(parsePythonJson('{"a":[1,{"b":NaN,"b":-Infinity}],"c":"\\u00e9","d":[],"e":{}}').value, {
    a: [1, { b: Number.NEGATIVE_INFINITY }],
    c: 'é',
    d: [],
    e: {},
  });
  assert.equal(parsePythonJson('[1]').members, undefined);
  assert.deepEqual([...parsePythonJson('{}').members!], []);
  assert.deepEqual(
    [...parsePythonJson('{"b":{"y":1.0,"x":"é"},"a":1,"a":2}').members!],
    [
      ['b', '{"x":"\\u00e9","y":1.0}'],
      ['a', '2'],
    ],
  );
  assert.deepEqual(parsePythonJson(VECTORS.sec44_batch!.raw).value, JSON.parse(VECTORS.sec44_batch!.raw));
});

test('rejects what json.loads rejects, with a typed error', () => {
  const bad = [
    '',
    ' ',
    '1e',
    '1.',
    '-',
    '01',
    '.5',
    '+1',
    '-NaN',
    'nan',
    'infinity',
    '1e+',
    '"\\x"',
    '"\\u12"',
    '"\\u12g4"',
    '[1,]',
    '{"a":1,}',
    '{a:1}',
    "{'a':1}",
    '"a\tb"',
    '"a\nb"',
    '\ufeff{}',
    '1 2',
    'truex',
    'tru',
    '{"a" 1}',
    '[1 2]',
    '{"a":1',
    '"abc',
    '"abc\\',
    '[',
    '/* c */ {}',
  ];
  for (const raw of bad) {
    assert.throws(
      () => pythonCanonicalJson(raw),
      (err: unknown) => err instanceof PythonJsonError && err.code === 'invalid_json',
      JSON.stringify(raw),
    );
  }
  // Python decodes the body as strict UTF-8 and keeps a BOM, which json.loads then rejects.
  assert.throws(
    () => pythonCanonicalJson(Uint8Array.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])),
    (err: unknown) => err instanceof PythonJsonError && err.code === 'invalid_utf8',
  );
  assert.throws(
    () => pythonCanonicalJson(Uint8Array.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d])),
    (err: unknown) => err instanceof PythonJsonError && err.code === 'invalid_json',
  );
  assert.throws(
    () => pythonCanonicalJson(`${'['.repeat(5000)}${']'.repeat(5000)}`),
    (err: unknown) => err instanceof PythonJsonError && err.code === 'too_deep',
  );
  assert.equal(
    pythonCanonicalJson(`${'['.repeat(500)}${']'.repeat(500)}`),
    `${'['.repeat(500)}${']'.repeat(500)}`,
  );
});

test('whitespace accepted by json.loads is exactly space, tab, LF, CR', () => {
  assert.equal(pythonCanonicalJson(' \t\r\n{ "b" : 1 ,\n"a":[ 1 , 2 ] }\n'), '{"a":[1,2],"b":1}');
  assert.throws(() => pythonCanonicalJson('\u00a0{}'), PythonJsonError);
  assert.throws(() => pythonCanonicalJson('{}\f'), PythonJsonError);
});

test('ensure_ascii string escaping', () => {
  assert.equal(pythonAsciiString('plain ~ text /'), '"plain ~ text /"');
  assert.equal(pythonAsciiString('"\\\n\r\t\b\f'), '"\\"\\\\\\n\\r\\t\\b\\f"');
  assert.equal(
    pythonAsciiString('\u0000\u001f\u007f\u0080é\uffff'),
    '"\\u0000\\u001f\\u007f\\u0080\\u00e9\\uffff"',
  );
  assert.equal(pythonAsciiString('😀'), '"\\ud83d\\ude00"');
  assert.equal(pythonAsciiString('\ud800'), '"\\ud800"');
});

test('keys sort by code point, not UTF-16 unit', () => {
  const keys = ['\uffff', '\u{10000}', '\ue000', 'a', '\u{1f600}', '\ud800', '\ud7ff', 'B', ''];
  const sorted = [...keys].sort(compareCodePoints);
  assert.deepEqual(sorted, ['', 'B', 'a', '\ud7ff', '\ud800', '\ue000', '\uffff', '\u{10000}', '\u{1f600}']);
  // Shared high surrogate, then a low surrogate (astral) vs. U+E000 after a lone high surrogate.
  assert.ok(compareCodePoints('\ud83d\ude00', '\ud83d\ue000') > 0);
  assert.ok(compareCodePoints('x\u{10000}', 'x\uffff') > 0);
  assert.ok(compareCodePoints('ab', 'abc') < 0);
  assert.equal(compareCodePoints('same', 'same'), 0);
  assert.equal(
    pythonCanonicalJson('{"\\ud83d\\ue000":1,"\\ud83d\\ude00":2}'),
    '{"\\ud83d\\ue000":1,"\\ud83d\\ude00":2}',
  );
});

test('signature verification: constant-time, length-safe, seed wording', () => {
  const v = VECTORS.permuted!;
  assert.ok(verifySec44Signature(KEY, v.raw, v.signature));
  assert.ok(!verifySec44Signature(KEY, v.raw, v.signature.toUpperCase()));
  assert.ok(!verifySec44Signature(KEY, v.raw, v.signature.slice(0, 63)));
  assert.ok(!verifySec44Signature(KEY, v.raw, `${v.signature}0`));
  assert.ok(!verifySec44Signature(KEY, v.raw, ''));
  assert.ok(!verifySec44Signature(KEY, v.raw, 'é'.repeat(64)));
  assert.ok(!verifySec44Signature(`${KEY}x`, v.raw, v.signature));
  assert.ok(!verifySec44Signature(KEY, '"scalar"', signSec44Canonical(KEY, '"scalar"')));
  assert.throws(() => verifySec44Signature(KEY, 'not json', v.signature), PythonJsonError);
  assert.throws(
    () => signSec44Body(KEY, '42'),
    (err: unknown) => err instanceof PythonJsonError && err.code === 'not_object_or_list',
  );
  // Whitespace and key order on the wire do not matter.
  assert.ok(verifySec44Signature(KEY, VECTORS.pretty!.raw, signSec44Body(KEY, VECTORS.pretty!.canonical)));

  assert.deepEqual(checkSec44Signature(KEY, v.raw, undefined), {
    ok: false,
    code: 'signature_error',
    message: 'signature error: missing signature',
  });
  assert.deepEqual(checkSec44Signature(KEY, '3', 'ab'), {
    ok: false,
    code: 'signature_error',
    message: 'signature error: request body must be a JSON object or list',
  });
  assert.deepEqual(checkSec44Signature(KEY, v.raw, 'ab'), {
    ok: false,
    code: 'invalid_signature',
    message: 'invalid signature',
  });
  const notJson = checkSec44Signature(KEY, '{oops', 'ab');
  assert.ok(!notJson.ok && notJson.code === 'invalid_json');
  const good = checkSec44Signature(KEY, v.raw, v.signature);
  assert.ok(good.ok);
  assert.deepEqual(good.value, JSON.parse(v.raw));

  assert.ok(signatureEquals('abc', 'abc'));
  assert.ok(!signatureEquals('abc', 'abd'));
  assert.ok(!signatureEquals('abc', 'ab'));
});

test('a 512 KiB batch canonicalizes to what Python would print', () => {
  const events = Array.from({ length: 200 }, (_, i) => ({
    ts: '2026-02-15T09:59:58+00:00',
    source: 'process',
    severity: 'INFO',
    platform: 'macos',
    title: `process_seen ${i} é`,
    details_json: {
      process_name: 'Safari',
      pid: i,
      exe: '/Applications/Safari.app',
      cpu: 1.5,
      blob: 'x'.repeat(2000),
    },
  }));
  const raw = JSON.stringify({
    org_id: 'acme',
    device_id: 'd',
    agent_version: '1',
    nonce: 'n'.repeat(32),
    events,
  });
  const canonical = pythonCanonicalJson(raw);
  // Compact, sorted, ASCII-only, and stable under re-canonicalization.
  assert.match(
    canonical,
    /^\{"agent_version":"1","device_id":"d","events":\[\{"details_json":\{"blob":"x+","cpu":1\.5,/,
  );
  assert.ok(!/[^\x20-\x7e]/.test(canonical));
  assert.ok(canonical.includes('\\u00e9'));
  assert.equal(pythonCanonicalJson(canonical), canonical);
});
