"""Bank return files as banks send them (trimmed to what the import reads)."""

from __future__ import annotations


def pain002(*transactions: tuple[str, str, str]) -> bytes:
    """A pain.002.001.10 status report; transactions: (end-to-end id, status, reason code)."""
    txs = "".join(
        f"""
      <TxInfAndSts>
        <StsId>STS-{n}</StsId>
        <OrgnlEndToEndId>{e2e}</OrgnlEndToEndId>
        <TxSts>{status}</TxSts>
        {f"<StsRsnInf><Rsn><Cd>{reason}</Cd></Rsn></StsRsnInf>" if reason else ""}
        <OrgnlTxRef><Amt><InstdAmt Ccy="EUR">42.50</InstdAmt></Amt></OrgnlTxRef>
      </TxInfAndSts>"""
        for n, (e2e, status, reason) in enumerate(transactions)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10">
  <CstmrPmtStsRpt>
    <GrpHdr><MsgId>BANK-STS-1</MsgId><CreDtTm>2026-12-08T10:00:00</CreDtTm></GrpHdr>
    <OrgnlGrpInfAndSts>
      <OrgnlMsgId>ESPACE-1</OrgnlMsgId><OrgnlMsgNmId>pain.008.001.08</OrgnlMsgNmId>
      <GrpSts>PART</GrpSts>
    </OrgnlGrpInfAndSts>
    <OrgnlPmtInfAndSts>
      <OrgnlPmtInfId>PMT-1</OrgnlPmtInfId>{txs}
    </OrgnlPmtInfAndSts>
  </CstmrPmtStsRpt>
</Document>""".encode()


def camt054(*transactions: tuple[str, str]) -> bytes:
    """A camt.054.001.08 debit notification; transactions: (end-to-end id, return reason)."""
    txs = "".join(
        f"""
        <TxDtls>
          <Refs><EndToEndId>{e2e}</EndToEndId><MndtId>ESP-MDT-1</MndtId></Refs>
          <Amt Ccy="EUR">42.50</Amt>
          <CdtDbtInd>DBIT</CdtDbtInd>
          <RtrInf><Rsn><Cd>{reason}</Cd></Rsn></RtrInf>
        </TxDtls>"""
        for e2e, reason in transactions
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>BANK-NTF-1</MsgId><CreDtTm>2026-12-09T08:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>NTF-1</Id>
      <Ntry>
        <Amt Ccy="EUR">42.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>
        <NtryDtls>{txs}
        </NtryDtls>
      </Ntry>
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>""".encode()
