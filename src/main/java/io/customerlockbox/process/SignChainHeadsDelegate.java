package io.customerlockbox.process;

import io.customerlockbox.audit.ChainSigner;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/** Signs each audit chain's head with the operator's key (nothing when no key is set). */
@Component("signChainHeadsDelegate")
class SignChainHeadsDelegate implements JavaDelegate {

  private final ChainSigner signer;

  SignChainHeadsDelegate(ChainSigner signer) {
    this.signer = signer;
  }

  @Override
  public void execute(DelegateExecution execution) {
    execution.setVariable(ProcessModel.SIGNED_CHAIN_HEADS, signer.signHeads());
  }
}
